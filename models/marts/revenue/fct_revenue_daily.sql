{#-
    One row per local day (SPEC §8), from the first to the last active day, extended to
    any day with an order or a counted refund (even one without a rate in force), zero
    days included. Orders count on their local order date, refunds on their own local
    date, whether or not their order is known.
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
        amount_reporting,
        is_first_order
    from {{ ref('int_orders') }}

),

refunds as (

    select
        refund_date,
        amount_reporting
    from {{ ref('int_refunds') }}

),

active_days as (

    select distinct
        person_id,
        {{ to_local_date('occurred_at') }} as activity_date
    from activity_events

),

daily_active_persons as (

    select
        activity_date as revenue_date,
        count(*) as active_persons
    from active_days
    group by activity_date

),

daily_orders as (

    select
        order_date as revenue_date,
        sum(amount_reporting) as gross_revenue,
        count(*) as orders,
        count(distinct person_id) as paying_persons,
        cast(sum(case when is_first_order then 1 else 0 end) as bigint) as new_paying_persons
    from orders
    group by order_date

),

daily_refunds as (

    select
        refund_date as revenue_date,
        sum(amount_reporting) as refunds
    from refunds
    group by refund_date

),

days_with_data as (

    select revenue_date from daily_active_persons
    union all
    select revenue_date from daily_orders
    union all
    select revenue_date from daily_refunds

),

bounds as (

    select
        min(revenue_date) as first_date,
        max(revenue_date) as last_date
    from days_with_data

),

days as (

    select {{ revenue_date_series('first_date', 'last_date', 'day') }} as revenue_date
    from bounds
    where first_date <= last_date

),

daily_totals as (

    select
        days.revenue_date,
        coalesce(daily_orders.gross_revenue, 0.0) as gross_revenue,
        coalesce(daily_refunds.refunds, 0.0) as refunds,
        coalesce(daily_orders.orders, 0) as orders,
        coalesce(daily_orders.paying_persons, 0) as paying_persons,
        coalesce(daily_orders.new_paying_persons, 0) as new_paying_persons,
        coalesce(daily_active_persons.active_persons, 0) as active_persons
    from days
    left join daily_orders
        on days.revenue_date = daily_orders.revenue_date
    left join daily_refunds
        on days.revenue_date = daily_refunds.revenue_date
    left join daily_active_persons
        on days.revenue_date = daily_active_persons.revenue_date

),

final as (

    select
        revenue_date,
        gross_revenue,
        refunds,
        gross_revenue - refunds as net_revenue,
        orders,
        paying_persons,
        new_paying_persons,
        active_persons,
        case
            when active_persons > 0 then (gross_revenue - refunds) / active_persons
        end as arpu,
        case
            when paying_persons > 0 then (gross_revenue - refunds) / paying_persons
        end as arppu
    from daily_totals

)

select * from final
