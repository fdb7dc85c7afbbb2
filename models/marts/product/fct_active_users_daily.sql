{#-
    SPEC §6: one row per local day from the first to the last active day, zero days
    included. Aggregates the person-level int_person_days (cheap), so it is a table.
#}

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
        first_active_date
    from {{ ref('int_person_cohorts') }}
    where first_active_date is not null

),

bounds as (

    select
        min(activity_date) as first_active_date,
        max(activity_date) as last_active_date
    from person_days

),

calendar_days as (

    select {{ period_series('day', 'first_active_date', 'last_active_date') }} as activity_date
    from bounds
    where first_active_date is not null

),

daily_active as (

    select
        activity_date,
        count(*) as dau
    from person_days
    group by activity_date

),

{# The rolling windows end on the day itself: d-6..d (wau) and d-29..d (mau). #}
rolling_active as (

    select
        calendar_days.activity_date,
        count(
            distinct case
                when person_days.activity_date >= {{ add_days('calendar_days.activity_date', -6) }}
                    then person_days.person_id
            end
        ) as wau,
        count(distinct person_days.person_id) as mau
    from calendar_days
    left join person_days
        on
            person_days.activity_date >= {{ add_days('calendar_days.activity_date', -29) }}
            and person_days.activity_date <= calendar_days.activity_date
    group by calendar_days.activity_date

),

daily_new as (

    select
        first_active_date as activity_date,
        count(*) as new_persons
    from person_cohorts
    group by first_active_date

),

final as (

    select
        calendar_days.activity_date,
        coalesce(daily_active.dau, 0) as dau,
        rolling_active.wau,
        rolling_active.mau,
        cast(coalesce(daily_active.dau, 0) as double) / nullif(rolling_active.mau, 0) as stickiness,
        coalesce(daily_new.new_persons, 0) as new_persons,
        coalesce(daily_active.dau, 0) - coalesce(daily_new.new_persons, 0) as returning_persons
    from calendar_days
    left join daily_active
        on calendar_days.activity_date = daily_active.activity_date
    left join rolling_active
        on calendar_days.activity_date = rolling_active.activity_date
    left join daily_new
        on calendar_days.activity_date = daily_new.activity_date

)

select * from final
