{{ config(**product_analytics.person_level(grain=['person_id'])) }}

{#-
    One row per person with activity or a cohort event: their first active local day and
    their retention cohort day (SPEC §6), the local day of their first activity or, when var
    `retention_cohort_event` is set, of their first event of that name (null: in no cohort).
    Rebuilt per person: an incremental run recomputes only the touched persons.
#}

{%- set cohort_event = var('retention_cohort_event') -%}
{%- set cohort_events = [] if cohort_event is none else [cohort_event] -%}
{%- if cohort_event is none -%}
    {%- set cohort_date_expression = 'first_active_days.first_active_date' -%}
{%- else -%}
    {%- set cohort_date_expression = to_local_date('first_cohort_events.first_cohort_event_at') -%}
{%- endif %}

with

person_days as (

    select
        person_id,
        activity_date
    from {{ ref('int_person_days') }}
    where {{ in_rebuilt_buckets() }}

),

{# No rows (a constant false filter) when var `retention_cohort_event` is not set. #}
cohort_events as (

    select
        person_id,
        occurred_at
    from {{ ref('int_events_stitched') }}
    where
        {{ is_in_list('event_name', cohort_events) }}
        and {{ in_rebuilt_buckets() }}

),

first_active_days as (

    select
        person_id,
        min(activity_date) as first_active_date
    from person_days
    group by person_id

),

first_cohort_events as (

    select
        person_id,
        min(occurred_at) as first_cohort_event_at
    from cohort_events
    group by person_id

),

persons_with_cohort as (

    select
        coalesce(first_active_days.person_id, first_cohort_events.person_id) as person_id,
        first_active_days.first_active_date,
        {{ cohort_date_expression }} as cohort_date
    from first_active_days
    full outer join first_cohort_events
        on first_active_days.person_id = first_cohort_events.person_id

),

final as (

    select
        person_id,
        first_active_date,
        cohort_date,
        {{ person_bucket('person_id') }} as _person_bucket,
        cast({{ run_seq() }} as {{ dbt.type_bigint() }}) as _run_seq
    from persons_with_cohort

)

select * from final
