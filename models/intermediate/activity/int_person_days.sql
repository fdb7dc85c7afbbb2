{{ config(**product_analytics.person_level(grain=['person_id', 'activity_date'])) }}

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
        and {{ in_rebuilt_buckets() }}

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
        {{ person_bucket('person_id') }} as _person_bucket,
        cast({{ run_seq() }} as {{ dbt.type_bigint() }}) as _run_seq
    from localized

)

select * from final
