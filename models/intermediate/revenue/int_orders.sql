{#-
    One row per order (SPEC §8). An order tracked twice counts once, from its earliest
    (occurred_at, event_id) event, even when the events belong to different persons: the
    order is that event's person's, and its session, currency and amount are that
    event's (a null amount stays null even if a later duplicate has one). amount_reporting
    = amount x the rate in force on the local order date (null when the amount is null
    or no rate is in force). is_first_order: the person's earliest order by
    (occurred_at, event_id). A table: deduplication crosses persons, so it is recomputed
    whole from the person-level int_order_events (orders are few).
-#}

with

order_events as (

    select
        order_id,
        event_id,
        person_id,
        session_id,
        occurred_at,
        order_date,
        currency,
        amount
    from {{ ref('int_order_events') }}

),

currency_rates as (

    select
        currency,
        valid_from,
        valid_to,
        rate_to_reporting
    from {{ ref('int_currency_rates') }}

),

order_events_ranked as (

    select
        *,
        row_number() over (partition by order_id order by occurred_at, event_id) as event_rank,
        count(*) over (partition by order_id) as tracked_events
    from order_events

),

orders as (

    select * from order_events_ranked
    where event_rank = 1

),

orders_converted as (

    select
        orders.*,
        currency_rates.rate_to_reporting,
        orders.amount * currency_rates.rate_to_reporting as amount_reporting,
        row_number() over (
            partition by orders.person_id
            order by orders.occurred_at, orders.event_id
        ) as person_order_number
    from orders
    left join currency_rates
        on
            orders.currency = currency_rates.currency
            and orders.order_date >= currency_rates.valid_from
            and (currency_rates.valid_to is null or orders.order_date < currency_rates.valid_to)

),

final as (

    select
        order_id,
        event_id,
        person_id,
        session_id,
        occurred_at as ordered_at,
        order_date,
        currency,
        amount,
        rate_to_reporting,
        amount_reporting,
        person_order_number = 1 as is_first_order,
        tracked_events
    from orders_converted

)

select * from final
