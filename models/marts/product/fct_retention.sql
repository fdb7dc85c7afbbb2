{#-
    SPEC §6: retention per grain (day, week starting Monday, calendar month), cohort and
    period number N, from N = 0 to the period of the last active day. Cohorts come from
    int_person_cohorts (first activity, or first event named var `retention_cohort_event`);
    activity from int_person_days. Period numbers are differences of period indexes, so
    period cohort+N ends before the last active day exactly when it is not the last period.
    Aggregates person-level tables: a table.
#}

{%- set grains = ['day', 'week', 'month'] %}

with

person_days as (

    select
        person_id,
        activity_date
    from {{ ref('int_person_days') }}

),

person_cohorts as (

    select
        person_id,
        cohort_date
    from {{ ref('int_person_cohorts') }}
    where cohort_date is not null

),

last_active as (

    select max(activity_date) as last_active_date
    from person_days

),

person_periods as (

    {%- for grain in grains %}

        select distinct
            '{{ grain }}' as grain,
            person_id,
            {{ period_index(grain, 'activity_date') }} as period_index
        from person_days
        {%- if not loop.last %}

            union all
        {%- endif %}
    {%- endfor %}

),

member_cohorts as (

    {%- for grain in grains %}

        select
            '{{ grain }}' as grain,
            person_id,
            {{ period_start(grain, 'cohort_date') }} as cohort_start,
            {{ period_index(grain, 'cohort_date') }} as cohort_index
        from person_cohorts
        {%- if not loop.last %}

            union all
        {%- endif %}
    {%- endfor %}

),

last_periods as (

    {%- for grain in grains %}

        select
            '{{ grain }}' as grain,
            {{ period_index(grain, 'last_active_date') }} as last_period_index
        from last_active
        where last_active_date is not null
        {%- if not loop.last %}

            union all
        {%- endif %}
    {%- endfor %}

),

cohorts as (

    select
        member_cohorts.grain,
        member_cohorts.cohort_start,
        min(member_cohorts.cohort_index) as cohort_index,
        min(last_periods.last_period_index) - min(member_cohorts.cohort_index) as last_period_number,
        count(*) as cohort_size
    from member_cohorts
    inner join last_periods
        on member_cohorts.grain = last_periods.grain
    group by member_cohorts.grain, member_cohorts.cohort_start

),

cohort_periods as (

    select
        grain,
        cohort_start,
        cohort_size,
        last_period_number,
        {{ integer_series(0, 'last_period_number') }} as period_number
    from cohorts
    where last_period_number >= 0

),

{# Activity in the cohort's own period (N = 0) or before it is not a return. #}
member_returns as (

    select
        member_cohorts.grain,
        member_cohorts.cohort_start,
        member_cohorts.person_id,
        person_periods.period_index - member_cohorts.cohort_index as period_number
    from member_cohorts
    inner join person_periods
        on
            member_cohorts.grain = person_periods.grain
            and member_cohorts.person_id = person_periods.person_id
    where person_periods.period_index > member_cohorts.cohort_index

),

retained_counts as (

    select
        grain,
        cohort_start,
        period_number,
        count(*) as retained_persons
    from member_returns
    group by grain, cohort_start, period_number

),

member_last_returns as (

    select
        grain,
        cohort_start,
        person_id,
        max(period_number) as last_period_number
    from member_returns
    group by grain, cohort_start, person_id

),

unbounded_counts as (

    select
        cohort_periods.grain,
        cohort_periods.cohort_start,
        cohort_periods.period_number,
        count(*) as unbounded_retained_persons
    from cohort_periods
    inner join member_last_returns
        on
            cohort_periods.grain = member_last_returns.grain
            and cohort_periods.cohort_start = member_last_returns.cohort_start
            and cohort_periods.period_number <= member_last_returns.last_period_number
    group by cohort_periods.grain, cohort_periods.cohort_start, cohort_periods.period_number

),

counted as (

    select
        cohort_periods.grain,
        cohort_periods.cohort_start,
        cast(cohort_periods.period_number as integer) as period_number,
        cohort_periods.cohort_size,
        case
            when cohort_periods.period_number = 0 then cohort_periods.cohort_size
            else coalesce(retained_counts.retained_persons, 0)
        end as retained_persons,
        case
            when cohort_periods.period_number = 0 then cohort_periods.cohort_size
            else coalesce(unbounded_counts.unbounded_retained_persons, 0)
        end as unbounded_retained_persons,
        cohort_periods.period_number < cohort_periods.last_period_number as is_complete
    from cohort_periods
    left join retained_counts
        on
            cohort_periods.grain = retained_counts.grain
            and cohort_periods.cohort_start = retained_counts.cohort_start
            and cohort_periods.period_number = retained_counts.period_number
    left join unbounded_counts
        on
            cohort_periods.grain = unbounded_counts.grain
            and cohort_periods.cohort_start = unbounded_counts.cohort_start
            and cohort_periods.period_number = unbounded_counts.period_number

),

final as (

    select
        grain,
        cohort_start,
        period_number,
        cohort_size,
        retained_persons,
        unbounded_retained_persons,
        cast(retained_persons as double) / cohort_size as retention_rate,
        cast(unbounded_retained_persons as double) / cohort_size as unbounded_retention_rate,
        is_complete
    from counted

)

select * from final
