{{ config(materialized='view') }}

{#-
    Sessions (SPEC §5) with their orders: the sessions themselves are kept per person,
    incrementally, in int_sessions; revenue crosses persons (an order counts once, from
    its earliest event; refunds follow their order), so it is joined here, at query time,
    from int_session_revenue.
-#}

with

sessions as (

    select * from {{ ref('int_sessions') }}

),

session_revenue as (

    select
        session_id,
        has_order,
        net_revenue
    from {{ ref('int_session_revenue') }}

),

final as (

    select
        sessions.session_id,
        sessions.person_id,
        sessions.session_number,
        sessions.started_at,
        sessions.ended_at,
        sessions.duration_seconds,
        sessions.event_count,
        sessions.view_count,
        sessions.landing_page_path,
        sessions.exit_page_path,
        sessions.referrer,
        sessions.referrer_host,
        sessions.utm_source,
        sessions.utm_medium,
        sessions.utm_campaign,
        sessions.channel,
        sessions.device_type,
        sessions.browser,
        sessions.os,
        sessions.is_engaged,
        sessions.is_bounce,
        coalesce(session_revenue.has_order, false) as has_order,
        coalesce(session_revenue.net_revenue, 0.0) as net_revenue,
        sessions.first_event_id
    from sessions
    left join session_revenue
        on sessions.session_id = session_revenue.session_id

)

select * from final
