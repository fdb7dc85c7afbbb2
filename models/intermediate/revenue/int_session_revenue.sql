{#-
    Revenue per session for fct_sessions (SPEC §5): one row per session holding the first
    event of at least one order, with the number of those orders and their net revenue
    (reporting amounts, 0 when null, minus every refund of those orders, whatever its
    date). Sessions without an order are absent: has_order false and net_revenue 0 there.
    A table: refunds and order deduplication cross persons.
-#}

with

orders as (

    select
        order_id,
        person_id,
        session_id,
        amount_reporting
    from {{ ref('int_orders') }}
    where session_id is not null

),

refunds as (

    select
        order_id,
        amount_reporting
    from {{ ref('int_refunds') }}
    where
        is_order_known
        and amount_reporting is not null

),

refunds_per_order as (

    select
        order_id,
        sum(amount_reporting) as refunded_amount
    from refunds
    group by order_id

),

final as (

    select
        orders.session_id,
        min(orders.person_id) as person_id,
        count(*) as orders,
        true as has_order,
        sum(
            coalesce(orders.amount_reporting, 0.0)
            - coalesce(refunds_per_order.refunded_amount, 0.0)
        ) as net_revenue
    from orders
    left join refunds_per_order
        on orders.order_id = refunds_per_order.order_id
    group by orders.session_id

)

select * from final
