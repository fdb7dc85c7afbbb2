{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        pre_hook="{{ delete_touched_persons() }}",
    )
}}

-- depends_on: {{ ref('int_person_changes') }}

{#-
    One row per person and local day (var `reporting_timezone`) with an activity event
    (SPEC §5, §6). Rebuilt per person: an incremental run recomputes only the touched persons.
#}

with

activity_events as (

    select
        person_id,
        occurred_at
    from {{ ref('int_events_stitched') }}
    where
        {{ is_activity_event() }}
    {% if is_incremental() -%}
            and person_id in ({{ touched_persons() }})
        {%- endif %}

),

localized as (

    select
        person_id,
        {{ to_local_date('occurred_at') }} as activity_date
    from activity_events

),

final as (

    select distinct
        person_id,
        activity_date,
        {{ current_batch_seq() }} as _batch_seq
    from localized

)

select * from final
