{#-
    SPEC §7: one row per funnel and step, over each person's counted attempt over all
    time (int_funnel_attempts.is_counted_for_person). persons_reached counts persons whose
    furthest step is at least the step; the times from the previous step are those of the
    counted attempt, aggregated from exact microseconds so that an incremental build equals
    a full rebuild bit for bit. Aggregates person-level tables: a table.
#}

with

funnel_steps as (
    {{ funnel_step_rows() }}

),

counted_attempts as (

    select
        funnel_name,
        start_event_id,
        furthest_step
    from {{ ref('int_funnel_attempts') }}
    where is_counted_for_person

),

attempt_steps as (

    select
        funnel_name,
        start_event_id,
        step_number,
        microseconds_from_previous
    from {{ ref('int_funnel_attempt_steps') }}

),

counted_steps as (

    select
        attempt_steps.funnel_name,
        attempt_steps.step_number,
        attempt_steps.microseconds_from_previous
    from counted_attempts
    inner join attempt_steps
        on
            counted_attempts.funnel_name = attempt_steps.funnel_name
            and counted_attempts.start_event_id = attempt_steps.start_event_id

),

step_totals as (

    select
        funnel_name,
        step_number,
        count(*) as persons_reached,
        {{ median('microseconds_from_previous') }} / 1000000 as median_seconds_from_previous,
        {#- summed as exact integers, so the mean does not depend on the order rows are added in #}
        cast(sum(microseconds_from_previous) as double)
        / count(microseconds_from_previous)
        / 1000000 as mean_seconds_from_previous
    from counted_steps
    group by funnel_name, step_number

),

steps_reached as (

    select
        funnel_steps.funnel_name,
        funnel_steps.step_number,
        funnel_steps.step_event,
        coalesce(step_totals.persons_reached, 0) as persons_reached,
        step_totals.median_seconds_from_previous,
        step_totals.mean_seconds_from_previous
    from funnel_steps
    left join step_totals
        on
            funnel_steps.funnel_name = step_totals.funnel_name
            and funnel_steps.step_number = step_totals.step_number

),

steps_compared as (

    select
        *,
        first_value(persons_reached) over (
            partition by funnel_name order by step_number
        ) as persons_started,
        lag(persons_reached) over (
            partition by funnel_name order by step_number
        ) as persons_reached_previous
    from steps_reached

),

final as (

    select
        funnel_name,
        cast(step_number as integer) as step_number,
        step_event,
        persons_reached,
        cast(persons_reached as double) / nullif(persons_started, 0) as conversion_from_start,
        case
            when step_number = 1 then 1.0
            else cast(persons_reached as double) / nullif(persons_reached_previous, 0)
        end as conversion_from_previous,
        coalesce(persons_reached_previous - persons_reached, 0) as persons_dropped,
        cast(median_seconds_from_previous as double) as median_seconds_from_previous,
        cast(mean_seconds_from_previous as double) as mean_seconds_from_previous
    from steps_compared

)

select * from final
