{{
    config(
        materialized='incremental',
        incremental_strategy='rebuild',
        unique_key='event_id',
        meta={'removes_keys': true},
        **product_analytics.partitioning('_person_bucket'),
    )
}}

{#-
    Every accepted event with its person (SPEC §4): the person of its user_id when it has
    one, else the person of its anonymous_id. Retroactive: when an identifier changes
    person, all its events are re-keyed. An incremental run rewrites only new or
    re-decided events and the events of identifiers that changed person, recording on
    each rewritten row the bucket of the person it had before (`_previous_person_bucket`),
    so that int_person_changes names both buckets. After a run that deleted stored events
    every event is stitched again and the deleted ones are dropped.
-#}

{#- rendered on every build, so that dbt records the dependency on the deletion runs -#}
{%- set rebuild_everything = stored_events_deleted_since_last_run() %}

with

identity_map as (

    select
        identifier_type,
        identifier,
        person_id,
        _run_seq
    from {{ ref('int_identity_map') }}

),

{% if is_incremental() -%}
    previous_events as (

        select
            event_id,
            _person_bucket
        from {{ this }}

    ),

    watermark as (

        select coalesce(max(_run_seq), 0) as _run_seq from {{ this }}

    ),

    changed_identifiers as (

        select
            identifier_type,
            identifier
        from identity_map
        where _run_seq > (select watermark._run_seq from watermark)

    ),
{%- endif %}

events as (

    select * from {{ ref('stg_events') }}
    {% if is_incremental() -%}
        where
            {{ rebuild_everything }}
            or _run_seq > (select watermark._run_seq from watermark)
            or user_id in (
                select changed_identifiers.identifier from changed_identifiers
                where changed_identifiers.identifier_type = 'user_id'
            )
            or anonymous_id in (
                select changed_identifiers.identifier from changed_identifiers
                where changed_identifiers.identifier_type = 'anonymous_id'
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
        {%- for column in stg_event_columns() %}
            stitched.{{ column }},
        {%- endfor %}
        stitched.person_id,
        {{ person_bucket('stitched.person_id') }} as _person_bucket,
        {% if is_incremental() -%}
            previous_events._person_bucket as _previous_person_bucket,
        {%- else -%}
            cast(null as {{ dbt.type_int() }}) as _previous_person_bucket,
        {%- endif %}
        cast({{ run_seq() }} as {{ dbt.type_bigint() }}) as _run_seq,
        false as _is_removed
    from stitched
    {% if is_incremental() -%}
        left join previous_events
            on stitched.event_id = previous_events.event_id
    {%- endif %}

    {% if is_incremental() -%}
        union all

        {# events no longer accepted (deleted): looked for only after a run that deleted stored events #}
        select
            {%- for column in stg_event_columns() %}
                {% if column == 'event_id' %}previous_events.event_id{% else %}null as {{ column }}{% endif %},
            {%- endfor %}
            cast(null as {{ dbt.type_string() }}) as person_id,
            cast(null as {{ dbt.type_int() }}) as _person_bucket,
            previous_events._person_bucket as _previous_person_bucket,
            cast({{ run_seq() }} as {{ dbt.type_bigint() }}) as _run_seq,
            true as _is_removed
        from previous_events
        where
            {{ rebuild_everything }}
            and previous_events.event_id not in (select stg_events.event_id from {{ ref('stg_events') }} as stg_events)
    {%- endif %}

)

select * from final
