{#- Ad hoc question: which first-touch channels bring persons who order? Compile with `dbt compile -s channel_conversion`. -#}

with

persons as (

    select
        person_id,
        first_channel,
        orders,
        net_revenue
    from {{ ref('dim_persons') }}

),

by_channel as (

    select
        coalesce(first_channel, '(no session)') as first_channel,
        count(*) as persons,
        sum(case when orders > 0 then 1 else 0 end) as ordering_persons,
        sum(net_revenue) as net_revenue
    from persons
    group by coalesce(first_channel, '(no session)')

),

final as (

    select
        first_channel,
        persons,
        ordering_persons,
        ordering_persons * 1.0 / persons as order_rate,
        net_revenue,
        net_revenue / persons as net_revenue_per_person
    from by_channel

)

select * from final
order by persons desc
