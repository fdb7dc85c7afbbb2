{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='event_id',
    )
}}

{#-
    Every accepted event with its person (SPEC §4): the person of its user_id when it has
    one, else the person of its anonymous_id. Retroactive: when an identifier changes
    person, all its events are re-keyed. An incremental run rewrites only new or replaced
    events and the events of identifiers that changed person, and records on each
    rewritten row the person it had before (`previous_person_id`).
-#}

with

identity_map as (

    select
        identifier_type,
        identifier,
        person_id,
        changed_seq
    from {{ ref('int_identity_map') }}

),

{% if is_incremental() -%}
watermark as (

    select coalesce(max(stitched_seq), 0) as stitched_seq from {{ this }}

),

changed_identifiers as (

    select
        identifier_type,
        identifier
    from identity_map
    where changed_seq > (select stitched_seq from watermark)

),
{%- endif %}

events as (

    select * from {{ ref('stg_events') }}
    {% if is_incremental() -%}
        where
            staged_seq > (select stitched_seq from watermark)
            or user_id in (
                select identifier from changed_identifiers where identifier_type = 'user_id'
            )
            or anonymous_id in (
                select identifier from changed_identifiers where identifier_type = 'anonymous_id'
            )
    {%- endif %}

),

stitched as (

    select
        events.*,
        coalesce(user_ids.person_id, anonymous_ids.person_id) as person_id
    from events
    left join identity_map as user_ids
        on
            user_ids.identifier_type = 'user_id'
            and events.user_id = user_ids.identifier
    left join identity_map as anonymous_ids
        on
            anonymous_ids.identifier_type = 'anonymous_id'
            and events.anonymous_id = anonymous_ids.identifier

),

final as (

    select
        stitched.*,
        {% if is_incremental() -%}
            previous_rows.person_id as previous_person_id,
        {%- else -%}
            cast(null as {{ dbt.type_string() }}) as previous_person_id,
        {%- endif %}
        {{ run_seq() }} as stitched_seq
    from stitched
    {% if is_incremental() -%}
        left join {{ this }} as previous_rows
            on stitched.event_id = previous_rows.event_id
    {%- endif %}

)

select * from final
