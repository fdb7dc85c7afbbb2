{#-
    Cumulative net revenue per person of each acquisition cohort (SPEC §8). Cohort: the
    local month of a person's first activity event; persons never active are in no cohort
    and their money is left out. Rows for months_since 0 up to the last active month of
    the whole data. Orders count in their order month, refunds (with the person they
    belong to: their order's, else the refund event's) in their refund month; amounts
    without a rate in force add nothing. Money dated before the cohort month (possible
    only for non-interactive order events) counts from months_since 0.
-#}

with

activity_events as (

    select
        person_id,
        occurred_at
    from {{ ref('int_events_sessionized') }}

),

orders as (

    select
        person_id,
        order_date,
        amount_reporting
    from {{ ref('int_orders') }}

),

refunds as (

    select
        person_id,
        refund_date,
        amount_reporting
    from {{ ref('int_refunds') }}

),

active_months as (

    select distinct
        person_id,
        cast({{ dbt.date_trunc('month', to_local_date('occurred_at')) }} as date) as activity_month
    from activity_events

),

cohorts as (

    select
        person_id,
        min(activity_month) as cohort_month
    from active_months
    group by person_id

),

cohort_sizes as (

    select
        cohort_month,
        count(*) as cohort_size
    from cohorts
    group by cohort_month

),

last_active_month as (

    select max(activity_month) as last_month
    from active_months

),

money as (

    select
        person_id,
        cast({{ dbt.date_trunc('month', 'order_date') }} as date) as money_month,
        amount_reporting as amount
    from orders
    where amount_reporting is not null

    union all

    select
        person_id,
        cast({{ dbt.date_trunc('month', 'refund_date') }} as date) as money_month,
        -amount_reporting as amount
    from refunds
    where amount_reporting is not null

),

cohort_money as (

    select
        cohorts.cohort_month,
        money.money_month,
        sum(money.amount) as net_revenue
    from money
    inner join cohorts
        on money.person_id = cohorts.person_id
    group by cohorts.cohort_month, money.money_month

),

cohort_months as (

    select
        cohort_sizes.cohort_month,
        cohort_sizes.cohort_size,
        {{ revenue_date_series('cohort_sizes.cohort_month', 'last_active_month.last_month', 'month') }} as month_start
    from cohort_sizes
    cross join last_active_month

),

cumulative as (

    select
        cohort_months.cohort_month,
        cohort_months.month_start,
        cohort_months.cohort_size,
        coalesce(sum(cohort_money.net_revenue), 0.0) as cumulative_net_revenue
    from cohort_months
    left join cohort_money
        on
            cohort_months.cohort_month = cohort_money.cohort_month
            and cohort_money.money_month <= cohort_months.month_start
    group by cohort_months.cohort_month, cohort_months.month_start, cohort_months.cohort_size

),

final as (

    select
        cohort_month,
        (year(month_start) * 12 + month(month_start))
        - (year(cohort_month) * 12 + month(cohort_month)) as months_since,
        cohort_size,
        cumulative_net_revenue,
        cumulative_net_revenue / cohort_size as ltv_per_person
    from cumulative

)

select * from final
