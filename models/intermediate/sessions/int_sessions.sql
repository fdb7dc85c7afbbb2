{{ config(**product_analytics.person_level(grain=['session_id'])) }}

with

sessionized as (

    select
        session_id,
        person_id,
        event_id,
        event_number_in_session,
        session_first_event_id
    from {{ ref('int_events_sessionized') }}
    where {{ in_rebuilt_buckets() }}

),

events as (

    select
        event_id,
        event_name,
        occurred_at,
        page_url,
        page_path,
        referrer,
        referrer_host,
        utm_source,
        utm_medium,
        utm_campaign,
        utm_term,
        utm_content,
        user_agent,
        context_device_type
    from {{ ref('int_events_stitched') }}
    where {{ in_rebuilt_buckets() }}

),

channel_rules as (

    select
        priority,
        channel,
        utm_source_regex,
        utm_medium_regex,
        referrer_host_regex
    from {{ ref('channel_rules') }}

),

session_events as (

    select
        sessionized.session_id,
        sessionized.person_id,
        sessionized.event_number_in_session,
        sessionized.session_first_event_id,
        events.*
    from sessionized
    inner join events
        on sessionized.event_id = events.event_id

),

session_totals as (

    select
        session_id,
        min(person_id) as person_id,
        min(session_first_event_id) as first_event_id,
        min(occurred_at) as started_at,
        max(occurred_at) as ended_at,
        count(*) as event_count,
        cast(sum(case when event_name in ('page_viewed', 'screen_viewed') then 1 else 0 end) as bigint) as view_count,
        max(case when {{ is_in_list('event_name', var('key_events')) }} then 1 else 0 end) = 1 as has_key_event
    from session_events
    group by session_id

),

page_views_ranked as (

    {#- the first and last page_viewed events, even when their path is null (SPEC §13) -#}
    select
        session_id,
        page_path,
        row_number() over (partition by session_id order by event_number_in_session asc) as rank_from_start,
        row_number() over (partition by session_id order by event_number_in_session desc) as rank_from_end
    from session_events
    where event_name = 'page_viewed'

),

traffic_sources as (

    select
        session_id,
        referrer,
        referrer_host,
        utm_source,
        utm_medium,
        utm_campaign,
        row_number() over (partition by session_id order by event_number_in_session) as source_rank
    from session_events
    where
        page_url is not null
        or utm_source is not null
        or utm_medium is not null
        or utm_campaign is not null
        or utm_term is not null
        or utm_content is not null

),

devices as (

    select
        session_id,
        coalesce(context_device_type, {{ device_type_from_user_agent('user_agent') }}) as device_type,
        {{ browser_from_user_agent('user_agent') }} as browser,
        {{ os_from_user_agent('user_agent') }} as os,
        row_number() over (partition by session_id order by event_number_in_session) as device_rank
    from session_events
    where user_agent is not null or context_device_type is not null

),

sessions_joined as (

    select
        session_totals.*,
        landing_pages.page_path as landing_page_path,
        exit_pages.page_path as exit_page_path,
        traffic_sources.referrer,
        traffic_sources.referrer_host,
        traffic_sources.utm_source,
        traffic_sources.utm_medium,
        traffic_sources.utm_campaign,
        case
            when {{ is_in_list('traffic_sources.referrer_host', var('own_hosts') | map('lower') | list) }}
                then null
            else traffic_sources.referrer_host
        end as channel_referrer_host,
        devices.device_type,
        devices.browser,
        devices.os,
        (
            {{ epoch_microseconds('session_totals.ended_at') }}
            - {{ epoch_microseconds('session_totals.started_at') }} >= 10000000
            or session_totals.view_count >= 2
            or session_totals.has_key_event
        ) as is_engaged
    from session_totals
    left join page_views_ranked as landing_pages
        on session_totals.session_id = landing_pages.session_id and landing_pages.rank_from_start = 1
    left join page_views_ranked as exit_pages
        on session_totals.session_id = exit_pages.session_id and exit_pages.rank_from_end = 1
    left join traffic_sources
        on session_totals.session_id = traffic_sources.session_id and traffic_sources.source_rank = 1
    left join devices
        on session_totals.session_id = devices.session_id and devices.device_rank = 1

),

channels as (

    select
        sessions_joined.session_id,
        channel_rules.channel
    from sessions_joined
    inner join channel_rules
        on
            {{ channel_rule_matches('channel_rules.utm_source_regex', 'sessions_joined.utm_source') }}
            and {{ channel_rule_matches('channel_rules.utm_medium_regex', 'sessions_joined.utm_medium') }}
            and {{ channel_rule_matches('channel_rules.referrer_host_regex', 'sessions_joined.channel_referrer_host') }}
    qualify row_number() over (partition by sessions_joined.session_id order by channel_rules.priority) = 1

),

final as (

    select
        sessions_joined.session_id,
        sessions_joined.person_id,
        row_number() over (
            partition by sessions_joined.person_id
            order by sessions_joined.started_at, sessions_joined.first_event_id
        ) as session_number,
        sessions_joined.started_at,
        sessions_joined.ended_at,
        cast(
            {{ epoch_microseconds('sessions_joined.ended_at') }}
            - {{ epoch_microseconds('sessions_joined.started_at') }}
            as double
        ) / 1000000 as duration_seconds,
        sessions_joined.event_count,
        sessions_joined.view_count,
        sessions_joined.landing_page_path,
        sessions_joined.exit_page_path,
        sessions_joined.referrer,
        sessions_joined.referrer_host,
        sessions_joined.utm_source,
        sessions_joined.utm_medium,
        sessions_joined.utm_campaign,
        channels.channel,
        sessions_joined.device_type,
        sessions_joined.browser,
        sessions_joined.os,
        sessions_joined.is_engaged,
        not sessions_joined.is_engaged as is_bounce,
        sessions_joined.first_event_id,
        {{ person_bucket('person_id') }} as _person_bucket,
        cast({{ run_seq() }} as {{ dbt.type_bigint() }}) as _run_seq
    from sessions_joined
    left join channels
        on sessions_joined.session_id = channels.session_id

)

select * from final
