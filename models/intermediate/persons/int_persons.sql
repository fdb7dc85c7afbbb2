{{ config(**product_analytics.person_level(grain=['person_id'])) }}

with

identity_map as (

    select
        identifier_type,
        identifier,
        person_id,
        canonical_user_id
    from {{ ref('int_identity_map') }}
    where {{ in_rebuilt_buckets() }}

),

events as (

    select
        person_id,
        event_id,
        event_type,
        event_name,
        occurred_at,
        traits
    from {{ ref('int_events_stitched') }}
    where {{ in_rebuilt_buckets() }}

),

sessions as (

    select
        person_id,
        session_number,
        channel,
        utm_source,
        utm_medium,
        utm_campaign
    from {{ ref('int_sessions') }}
    where {{ in_rebuilt_buckets() }}

),

person_days as (

    select
        person_id,
        activity_date
    from {{ ref('int_person_days') }}
    where {{ in_rebuilt_buckets() }}

),

identities as (

    select
        person_id,
        max(canonical_user_id) as user_id,
        max(case when identifier_type = 'anonymous_id' then identifier end) as any_anonymous_id,
        count(*) as identifiers_count
    from identity_map
    group by person_id

),

seen as (

    select
        person_id,
        min(occurred_at) as first_seen_at,
        max(occurred_at) as last_seen_at
    from events
    group by person_id

),

session_summary as (

    select
        person_id,
        count(*) as sessions,
        max(case when session_number = 1 then channel end) as first_channel,
        max(case when session_number = 1 then utm_source end) as first_utm_source,
        max(case when session_number = 1 then utm_medium end) as first_utm_medium,
        max(case when session_number = 1 then utm_campaign end) as first_utm_campaign
    from sessions
    group by person_id

),

active_days as (

    select
        person_id,
        count(*) as active_days
    from person_days
    group by person_id

),

trait_values as (

    {#- one row per key of each identify call's traits, read without JSON paths so any key is safe -#}
    select
        events.person_id,
        events.event_id,
        events.occurred_at,
        trait_entries.key as trait_key,
        trait_entries.value as trait_value,
        trait_entries.id as trait_position
    from events
    cross join {{ json_object_entries('events.traits') }} as trait_entries
    where events.event_type = 'identify' and events.traits is not null

),

latest_traits as (

    {#- per key, the latest non-null value across identify calls; a key repeated in one call: its first value -#}
    select
        person_id,
        trait_key,
        trait_value
    from trait_values
    where {{ json_kind('trait_value') }} != 'null'
    qualify row_number() over (
            partition by person_id, trait_key
            order by occurred_at desc, event_id desc, trait_position asc
        ) = 1

),

trait_texts as (

    {#- email-like values were already hashed in stg_events (SPEC §11); strings re-escaped canonically -#}
    select
        person_id,
        trait_key,
        case
            when {{ json_kind('trait_value') }} = 'string' then {{ json_string_literal(json_string_value('trait_value')) }}
            else cast(trait_value as {{ dbt.type_string() }})
        end as trait_json
    from latest_traits

),

person_traits as (

    select
        person_id,
        {{ json_object_from_entries('trait_key', 'trait_json', 'order by trait_key') }} as traits
    from trait_texts
    group by person_id

),

final as (

    select
        identities.person_id,
        case when identities.user_id is not null then 'user' else 'anon' end as person_type,
        identities.user_id,
        case when identities.user_id is null then identities.any_anonymous_id end as anonymous_id,
        identities.user_id is not null as is_identified,
        identities.identifiers_count,
        seen.first_seen_at,
        seen.last_seen_at,
        session_summary.first_channel,
        session_summary.first_utm_source,
        session_summary.first_utm_medium,
        session_summary.first_utm_campaign,
        coalesce(session_summary.sessions, 0) as sessions,
        coalesce(active_days.active_days, 0) as active_days,
        person_traits.traits,
        {{ person_bucket('identities.person_id') }} as _person_bucket,
        cast({{ run_seq() }} as {{ dbt.type_bigint() }}) as _run_seq
    from identities
    inner join seen
        on identities.person_id = seen.person_id
    left join session_summary
        on identities.person_id = session_summary.person_id
    left join active_days
        on identities.person_id = active_days.person_id
    left join person_traits
        on identities.person_id = person_traits.person_id

)

select * from final
