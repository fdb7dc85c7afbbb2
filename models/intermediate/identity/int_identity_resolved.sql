{{ config(materialized='view') }}

{#-
    Identity resolution over the accepted events as they are when it is queried
    (SPEC §4): one row per identifier with its canonical user and person_id. A view,
    so it is computed where it is used: `int_deletion_targets` resolves identities over
    every accepted event before deletion requests are applied (to find whole persons),
    `int_identity_map` over the events that remain after.
-#}

with

events as (

    select
        event_id,
        event_type,
        user_id,
        anonymous_id,
        previous_id,
        occurred_at
    from {{ ref('stg_events') }}

),

user_merges as (

    select
        user_id,
        canonical_user_id
    from {{ ref('int_user_merges') }}

),

identifiers as (

    select distinct
        'user_id' as identifier_type,
        user_id as identifier
    from events
    where user_id is not null

    union

    select distinct
        'anonymous_id' as identifier_type,
        anonymous_id as identifier
    from events
    where anonymous_id is not null

),

anonymous_links as (

    select
        anonymous_id,
        user_id,
        occurred_at,
        event_id
    from events
    where user_id is not null and anonymous_id is not null

    union all

    select
        events.previous_id as anonymous_id,
        events.user_id,
        events.occurred_at,
        events.event_id
    from events
    inner join identifiers
        on
            events.previous_id = identifiers.identifier
            and identifiers.identifier_type = 'anonymous_id'
    where events.event_type = 'alias'

),

first_links as (

    select
        anonymous_id,
        user_id
    from anonymous_links
    qualify row_number() over (partition by anonymous_id order by occurred_at, event_id) = 1

),

resolved as (

    select
        identifiers.identifier_type,
        identifiers.identifier,
        case
            when identifiers.identifier_type = 'user_id'
                then coalesce(user_merges.canonical_user_id, identifiers.identifier)
            else coalesce(linked_user_merges.canonical_user_id, first_links.user_id)
        end as canonical_user_id
    from identifiers
    left join user_merges
        on
            identifiers.identifier_type = 'user_id'
            and identifiers.identifier = user_merges.user_id
    left join first_links
        on
            identifiers.identifier_type = 'anonymous_id'
            and identifiers.identifier = first_links.anonymous_id
    left join user_merges as linked_user_merges
        on first_links.user_id = linked_user_merges.user_id

),

mapped as (

    select
        identifier_type,
        identifier,
        canonical_user_id,
        case
            when canonical_user_id is not null then md5('user:' || canonical_user_id)
            else md5('anon:' || identifier)
        end as person_id
    from resolved

)

select * from mapped
