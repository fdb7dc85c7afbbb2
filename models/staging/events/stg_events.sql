{{ config(materialized='view') }}

{#-
    Accepted events, one row per event_id (SPEC §3): the kept line of each event_id in
    base_events__ledger (earliest received_at, null last, then the smallest raw text in
    byte order), after deletion requests. Email-like top-level trait values are stored
    hashed from here on (SPEC §11): only traits objects holding an '@' are rebuilt
    (entries in their original order, repeated keys kept); the others pass through as
    they came. _run_seq is the run that last wrote the event's line.
-#}

with

kept_lines as (

    select
        {%- for column in stg_event_columns() %}
            {{ column }},
        {%- endfor %}
        _run_seq
    from {{ ref('base_events__ledger') }}
    where line_status = 'accepted'

),

protected_traits as (

    select
        kept_lines.event_id,
        {{ json_object_from_entries(
            'trait_entries.key',
            protect_email_trait('trait_entries.value'),
            'order by trait_entries.id'
        ) }} as traits
    from kept_lines
    cross join {{ json_object_entries('kept_lines.traits') }} as trait_entries
    where kept_lines.traits like '%@%'
    group by kept_lines.event_id

),

final as (

    select
        {%- for column in stg_event_columns() %}
            {%- if column == 'traits' %}
                coalesce(protected_traits.traits, kept_lines.traits) as traits,
            {%- else %}
                kept_lines.{{ column }},
            {%- endif %}
        {%- endfor %}
        kept_lines._run_seq
    from kept_lines
    left join protected_traits
        on kept_lines.event_id = protected_traits.event_id

)

select * from final
