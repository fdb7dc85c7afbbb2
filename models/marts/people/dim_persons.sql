{{ config(materialized='view') }}

{#-
    People (SPEC §10). Identity, activity and traits are kept per person, incrementally,
    in int_persons; orders, net revenue and MRR cross persons (orders count once, refunds
    follow their order's person), so they are joined here at query time from
    int_person_revenue.
-#}

with

persons as (

    select * from {{ ref('int_persons') }}

),

person_revenue as (

    select
        person_id,
        orders,
        net_revenue,
        current_mrr
    from {{ ref('int_person_revenue') }}

),

final as (

    select
        persons.person_id,
        persons.person_type,
        persons.user_id,
        persons.anonymous_id,
        persons.is_identified,
        persons.identifiers_count,
        persons.first_seen_at,
        persons.last_seen_at,
        persons.first_channel,
        persons.first_utm_source,
        persons.first_utm_medium,
        persons.first_utm_campaign,
        persons.sessions,
        persons.active_days,
        coalesce(person_revenue.orders, 0) as orders,
        coalesce(person_revenue.net_revenue, 0.0) as net_revenue,
        coalesce(person_revenue.current_mrr, 0.0) as current_mrr,
        persons.traits
    from persons
    left join person_revenue
        on persons.person_id = person_revenue.person_id

)

select * from final
