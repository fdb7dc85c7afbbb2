{#-
    Revenue per person for dim_persons (SPEC §10): one row per person with an order, a
    refund or a subscription event. orders: orders whose earliest event is theirs;
    net_revenue: their orders' reporting amounts minus every refund of theirs (a refund
    belongs to its order's person, else to the refund event's person), so it sums to the
    daily net revenue; current_mrr: the MRR after their last subscription event (0 when
    they have none). Persons absent here have 0 orders, 0 net revenue and 0 MRR. A table:
    refunds and order deduplication cross persons.
-#}

with

orders as (

    select
        person_id,
        amount_reporting
    from {{ ref('int_orders') }}

),

refunds as (

    select
        person_id,
        amount_reporting
    from {{ ref('int_refunds') }}

),

person_months as (

    select
        person_id,
        mrr,
        valid_until_month
    from {{ ref('int_person_month_mrr') }}

),

money as (

    select
        person_id,
        1 as orders,
        coalesce(amount_reporting, 0.0) as net_revenue,
        cast(0.0 as double) as current_mrr
    from orders

    union all

    select
        person_id,
        0 as orders,
        -coalesce(amount_reporting, 0.0) as net_revenue,
        cast(0.0 as double) as current_mrr
    from refunds

    union all

    select
        person_id,
        0 as orders,
        cast(0.0 as double) as net_revenue,
        mrr as current_mrr
    from person_months
    where valid_until_month is null

),

final as (

    select
        person_id,
        cast(sum(orders) as bigint) as orders,
        sum(net_revenue) as net_revenue,
        sum(current_mrr) as current_mrr
    from money
    group by person_id

)

select * from final
