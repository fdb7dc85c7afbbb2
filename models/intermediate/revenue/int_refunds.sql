{#-
    One row per counted refund event (SPEC §8), resolved against its order: the refund
    belongs to its order's person when the order is known, else to the refund event's
    person; its currency is its own, else its order's, else the reporting currency; it
    converts at the rate in force on its own local date (null amount_reporting when no
    rate is in force: it then adds nothing to any sum). Every refund event counts, even
    several for one order or more than the order's amount. A table: the order lookup
    crosses persons.
-#}

with

refund_events as (

    select
        event_id,
        order_id,
        person_id,
        occurred_at,
        refund_date,
        currency,
        amount
    from {{ ref('int_refund_events') }}

),

orders as (

    select
        order_id,
        person_id,
        currency
    from {{ ref('int_orders') }}

),

currency_rates as (

    select
        currency,
        valid_from,
        valid_to,
        rate_to_reporting
    from {{ ref('int_currency_rates') }}

),

refunds_resolved as (

    select
        refund_events.event_id,
        refund_events.order_id,
        coalesce(orders.person_id, refund_events.person_id) as person_id,
        refund_events.person_id as event_person_id,
        orders.order_id is not null as is_order_known,
        refund_events.occurred_at,
        refund_events.refund_date,
        coalesce(
            refund_events.currency,
            orders.currency,
            '{{ var("reporting_currency") | trim | upper }}'
        ) as currency,
        refund_events.amount
    from refund_events
    left join orders
        on refund_events.order_id = orders.order_id

),

final as (

    select
        refunds_resolved.event_id,
        refunds_resolved.order_id,
        refunds_resolved.person_id,
        refunds_resolved.event_person_id,
        refunds_resolved.is_order_known,
        refunds_resolved.occurred_at as refunded_at,
        refunds_resolved.refund_date,
        refunds_resolved.currency,
        refunds_resolved.amount,
        currency_rates.rate_to_reporting,
        refunds_resolved.amount * currency_rates.rate_to_reporting as amount_reporting
    from refunds_resolved
    left join currency_rates
        on
            refunds_resolved.currency = currency_rates.currency
            and refunds_resolved.refund_date >= currency_rates.valid_from
            and (currency_rates.valid_to is null or refunds_resolved.refund_date < currency_rates.valid_to)

)

select * from final
