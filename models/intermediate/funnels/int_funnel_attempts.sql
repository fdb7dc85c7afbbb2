{{ config(**product_analytics.person_level(grain=['funnel_name', 'start_event_id'])) }}

{#-
    SPEC §7: one row per funnel attempt (a person's step-1 event), with its reach, its
    local entry date, and whether it is the counted attempt of its entry date and of the
    person over all time. Counted attempt: largest reach, then earliest occurred_at of its
    last reached step, then latest start, then smallest start event_id.
    Rebuilt per person: an incremental run recomputes only the touched persons.
#}

with

attempt_steps as (

    select
        funnel_name,
        person_id,
        start_event_id,
        step_number,
        occurred_at
    from {{ ref('int_funnel_attempt_steps') }}
    where {{ in_rebuilt_buckets() }}

),

funnel_steps as (
    {{ funnel_step_rows() }}

),

funnel_sizes as (

    select distinct
        funnel_name,
        step_count
    from funnel_steps

),

attempt_reach as (

    select
        funnel_name,
        person_id,
        start_event_id,
        max(step_number) as furthest_step
    from attempt_steps
    group by funnel_name, person_id, start_event_id

),

attempts as (

    select
        attempt_reach.funnel_name,
        attempt_reach.person_id,
        attempt_reach.start_event_id,
        attempt_reach.furthest_step,
        starts.occurred_at as started_at,
        last_steps.occurred_at as last_step_at,
        attempt_reach.furthest_step = funnel_sizes.step_count as is_converted
    from attempt_reach
    inner join attempt_steps as starts
        on
            attempt_reach.funnel_name = starts.funnel_name
            and attempt_reach.start_event_id = starts.start_event_id
            and starts.step_number = 1
    inner join attempt_steps as last_steps
        on
            attempt_reach.funnel_name = last_steps.funnel_name
            and attempt_reach.start_event_id = last_steps.start_event_id
            and attempt_reach.furthest_step = last_steps.step_number
    inner join funnel_sizes
        on attempt_reach.funnel_name = funnel_sizes.funnel_name

),

attempts_dated as (

    select
        *,
        {{ to_local_date('started_at') }} as entry_date
    from attempts

),

attempts_ranked as (

    select
        *,
        row_number() over (
            partition by funnel_name, person_id, entry_date
            order by furthest_step desc, last_step_at asc, started_at desc, start_event_id asc
        ) as rank_in_entry_date,
        row_number() over (
            partition by funnel_name, person_id
            order by furthest_step desc, last_step_at asc, started_at desc, start_event_id asc
        ) as rank_in_person
    from attempts_dated

),

final as (

    select
        funnel_name,
        person_id,
        start_event_id,
        entry_date,
        cast(furthest_step as integer) as furthest_step,
        started_at,
        last_step_at,
        case when is_converted then last_step_at end as converted_at,
        is_converted,
        rank_in_entry_date = 1 as is_counted_in_entry_date,
        rank_in_person = 1 as is_counted_for_person,
        {{ person_bucket('person_id') }} as _person_bucket,
        cast({{ run_seq() }} as {{ dbt.type_bigint() }}) as _run_seq
    from attempts_ranked

)

select * from final
