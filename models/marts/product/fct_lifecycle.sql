{#-
    SPEC §6: persons per grain (day, week starting Monday, calendar month), period and
    lifecycle status, from the first to the last active period, zeros included. A person's
    `dormant` period is the first inactive period after an active one; one that would fall
    after the last active period is outside the table. Aggregates int_person_days: a table.
#}

{%- set grains = ['day', 'week', 'month'] %}

with

person_days as (

    select
        person_id,
        activity_date
    from {{ ref('int_person_days') }}

),

bounds as (

    select
        min(activity_date) as first_active_date,
        max(activity_date) as last_active_date
    from person_days

),

person_periods as (

    {%- for grain in grains %}

        select distinct
            '{{ grain }}' as grain,
            person_id,
            {{ period_start(grain, 'activity_date') }} as period_start,
            {{ add_periods(grain, period_start(grain, 'activity_date'), -1) }} as previous_period_start,
            {{ add_periods(grain, period_start(grain, 'activity_date'), 1) }} as next_period_start
        from person_days
        {%- if not loop.last %}

            union all
        {%- endif %}
    {%- endfor %}

),

grain_periods as (

    {%- for grain in grains %}
        {%- set first_period = period_start(grain, 'first_active_date') %}
        {%- set last_period = period_start(grain, 'last_active_date') %}

        select
            '{{ grain }}' as grain,
            {{ period_series(grain, first_period, last_period) }} as period_start
        from bounds
        where first_active_date is not null
        {%- if not loop.last %}

            union all
        {%- endif %}
    {%- endfor %}

),

last_periods as (

    select
        grain,
        max(period_start) as last_period_start
    from grain_periods
    group by grain

),

person_periods_linked as (

    select
        *,
        lag(period_start) over (
            partition by grain, person_id order by period_start
        ) as previous_active_period_start,
        lead(period_start) over (
            partition by grain, person_id order by period_start
        ) as next_active_period_start
    from person_periods

),

active_statuses as (

    select
        grain,
        period_start,
        case
            when previous_active_period_start is null then 'new'
            when previous_active_period_start = previous_period_start then 'returning'
            else 'resurrecting'
        end as status,
        person_id
    from person_periods_linked

),

dormant_statuses as (

    select
        person_periods_linked.grain,
        person_periods_linked.next_period_start as period_start,
        'dormant' as status,
        person_periods_linked.person_id
    from person_periods_linked
    inner join last_periods
        on person_periods_linked.grain = last_periods.grain
    where
        person_periods_linked.next_period_start <= last_periods.last_period_start
        and (
            person_periods_linked.next_active_period_start is null
            or person_periods_linked.next_active_period_start <> person_periods_linked.next_period_start
        )

),

person_statuses as (

    select * from active_statuses
    union all
    select * from dormant_statuses

),

status_counts as (

    select
        grain,
        period_start,
        status,
        count(*) as persons
    from person_statuses
    group by grain, period_start, status

),

statuses as (

    select 'new' as status
    union all
    select 'returning' as status
    union all
    select 'resurrecting' as status
    union all
    select 'dormant' as status

),

final as (

    select
        grain_periods.grain,
        grain_periods.period_start,
        statuses.status,
        coalesce(status_counts.persons, 0) as persons
    from grain_periods
    cross join statuses
    left join status_counts
        on
            grain_periods.grain = status_counts.grain
            and grain_periods.period_start = status_counts.period_start
            and statuses.status = status_counts.status

)

select * from final
