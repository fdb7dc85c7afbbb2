{#-
    SPEC §8: every month, starting_mrr + new + expansion + contraction + churn +
    reactivation = ending_mrr; each month's starting_mrr is the previous month's
    ending_mrr (0 for the first month); and the movement totals equal the sums of
    fct_mrr_movements. Returns the months that break a rule (1e-6 tolerance for sums of
    doubles).
-#}

with

monthly as (

    select
        month_start,
        starting_mrr,
        new,
        expansion,
        contraction,
        churn,
        reactivation,
        ending_mrr
    from {{ ref('fct_mrr_monthly') }}

),

movements as (

    select
        month_start,
        sum(mrr_change) as mrr_change
    from {{ ref('fct_mrr_movements') }}
    group by month_start

),

months_checked as (

    select
        monthly.month_start,
        monthly.starting_mrr + monthly.new + monthly.expansion + monthly.contraction
        + monthly.churn + monthly.reactivation - monthly.ending_mrr as unexplained_change,
        monthly.starting_mrr - coalesce(
            lag(monthly.ending_mrr) over (order by monthly.month_start), 0.0
        ) as starting_gap,
        monthly.new + monthly.expansion + monthly.contraction + monthly.churn
        + monthly.reactivation - coalesce(movements.mrr_change, 0.0) as movements_gap
    from monthly
    left join movements
        on monthly.month_start = movements.month_start

),

final as (

    select * from months_checked
    where
        abs(unexplained_change) > 1e-6
        or abs(starting_gap) > 1e-6
        or abs(movements_gap) > 1e-6

)

select * from final
