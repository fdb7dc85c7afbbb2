{#-
    One row per order (SPEC §8) with its refunds: refunded_amount sums the reporting
    amounts of the refunds naming it (refunds without a rate in force add nothing);
    net_revenue = amount_reporting (0 when null) - refunded_amount.
-#}

with

orders as (

    select
        order_id,
        event_id,
        person_id,
        session_id,
        ordered_at,
        order_date,
        currency,
        amount,
        rate_to_reporting,
        amount_reporting,
        is_first_order
    from {{ ref('int_orders') }}

),

refunds as (

    select
        order_id,
        amount_reporting
    from {{ ref('int_refunds') }}
    where is_order_known

),

refunds_per_order as (

    select
        order_id,
        sum(amount_reporting) as refunded_amount
    from refunds
    where amount_reporting is not null
    group by order_id

),

final as (

    select
        orders.order_id,
        orders.event_id,
        orders.person_id,
        orders.session_id,
        orders.ordered_at,
        orders.order_date,
        orders.currency,
        orders.amount,
        orders.rate_to_reporting,
        orders.amount_reporting,
        coalesce(refunds_per_order.refunded_amount, 0.0) as refunded_amount,
        coalesce(orders.amount_reporting, 0.0)
        - coalesce(refunds_per_order.refunded_amount, 0.0) as net_revenue,
        orders.is_first_order
    from orders
    left join refunds_per_order
        on orders.order_id = refunds_per_order.order_id

)

select * from final
