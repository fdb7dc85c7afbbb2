{#-
    MRR per local month (SPEC §8), from the first month with a subscription event to the
    last active month: starting_mrr (the month before's ending_mrr; 0 in the first
    month), the signed sum of each movement of fct_mrr_movements, ending_mrr (sum of the
    month-end MRR of every person) and paying_persons (month-end MRR > 0). starting_mrr +
    new + expansion + contraction + churn + reactivation = ending_mrr (tested). Empty
    without subscription or activity events.
-#}

with

person_months as (

    select
        person_id,
        month_start,
        valid_until_month,
        mrr
    from {{ ref('int_person_month_mrr') }}

),

movements as (

    select
        month_start,
        movement,
        mrr_change
    from {{ ref('fct_mrr_movements') }}

),

activity_events as (

    select occurred_at
    from {{ ref('int_events_sessionized') }}

),

bounds as (

    select
        (select min(month_start) from person_months) as first_month,
        cast(
            {{ dbt.date_trunc('month', 'max(' ~ to_local_date('occurred_at') ~ ')') }} as date
        ) as last_month
    from activity_events

),

months as (

    select {{ revenue_date_series('first_month', 'last_month', 'month') }} as month_start
    from bounds
    where first_month <= last_month

),

month_end_mrr as (

    select
        months.month_start,
        sum(person_months.mrr) as ending_mrr,
        cast(sum(case when person_months.mrr > 0 then 1 else 0 end) as bigint) as paying_persons
    from months
    inner join person_months
        on
            months.month_start >= person_months.month_start
            and (person_months.valid_until_month is null or months.month_start < person_months.valid_until_month)
    group by months.month_start

),

movement_totals as (

    select
        month_start,
        sum(case when movement = 'new' then mrr_change else 0.0 end) as new_mrr,
        sum(case when movement = 'expansion' then mrr_change else 0.0 end) as expansion_mrr,
        sum(case when movement = 'contraction' then mrr_change else 0.0 end) as contraction_mrr,
        sum(case when movement = 'churn' then mrr_change else 0.0 end) as churn_mrr,
        sum(case when movement = 'reactivation' then mrr_change else 0.0 end) as reactivation_mrr
    from movements
    group by month_start

),

monthly as (

    select
        months.month_start,
        coalesce(movement_totals.new_mrr, 0.0) as new_mrr,
        coalesce(movement_totals.expansion_mrr, 0.0) as expansion_mrr,
        coalesce(movement_totals.contraction_mrr, 0.0) as contraction_mrr,
        coalesce(movement_totals.churn_mrr, 0.0) as churn_mrr,
        coalesce(movement_totals.reactivation_mrr, 0.0) as reactivation_mrr,
        coalesce(month_end_mrr.ending_mrr, 0.0) as ending_mrr,
        coalesce(month_end_mrr.paying_persons, cast(0 as bigint)) as paying_persons
    from months
    left join movement_totals
        on months.month_start = movement_totals.month_start
    left join month_end_mrr
        on months.month_start = month_end_mrr.month_start

),

final as (

    select
        month_start,
        coalesce(lag(ending_mrr) over (order by month_start), 0.0) as starting_mrr,
        new_mrr as new,
        expansion_mrr as expansion,
        contraction_mrr as contraction,
        churn_mrr as churn,
        reactivation_mrr as reactivation,
        ending_mrr,
        paying_persons
    from monthly

)

select * from final
