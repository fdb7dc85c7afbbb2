{#-
    Identity resolution (SPEC §4): CTE definitions for the calling model's `with` list,
    each named with `prefix`; the last, <prefix>identities, has one row per
    (identifier_type, identifier) seen on an accepted event of `events` (event_id,
    event_type, user_id, anonymous_id, previous_id, occurred_at), with its canonical user
    and person_id, given the alias merges `user_merges` (user_id, canonical_user_id; see
    alias_merges). An anonymous_id belongs to the user of its earliest link by
    (occurred_at, event_id): an event carrying both ids, or an alias whose previous_id is
    used as an anonymous_id; it follows that user's merges. person_id = md5('user:' ||
    canonical user) or md5('anon:' || anonymous_id). Used by int_identity_resolved (the
    events that remain) and by base_events__ledger (every event, before deletion requests
    are applied, to find whole persons).
-#}
{% macro identities(events, user_merges, prefix) -%}
{{ prefix }}identifiers as (

    select distinct
        'user_id' as identifier_type,
        user_id as identifier
    from {{ events }}
    where user_id is not null

    union

    select distinct
        'anonymous_id' as identifier_type,
        anonymous_id as identifier
    from {{ events }}
    where anonymous_id is not null

),

{{ prefix }}anonymous_links as (

    select
        anonymous_id,
        user_id,
        occurred_at,
        event_id
    from {{ events }}
    where user_id is not null and anonymous_id is not null

    union all

    select
        aliases.previous_id as anonymous_id,
        aliases.user_id,
        aliases.occurred_at,
        aliases.event_id
    from {{ events }} as aliases
    inner join {{ prefix }}identifiers
        on
            aliases.previous_id = {{ prefix }}identifiers.identifier
            and {{ prefix }}identifiers.identifier_type = 'anonymous_id'
    where aliases.event_type = 'alias'

),

{{ prefix }}links_ranked as (

    select
        anonymous_id,
        user_id,
        row_number() over (partition by anonymous_id order by occurred_at, event_id) as link_rank
    from {{ prefix }}anonymous_links

),

{{ prefix }}resolved as (

    select
        {{ prefix }}identifiers.identifier_type,
        {{ prefix }}identifiers.identifier,
        case
            when {{ prefix }}identifiers.identifier_type = 'user_id'
                then coalesce(user_merges.canonical_user_id, {{ prefix }}identifiers.identifier)
            else coalesce(linked_user_merges.canonical_user_id, first_links.user_id)
        end as canonical_user_id
    from {{ prefix }}identifiers
    left join {{ user_merges }} as user_merges
        on
            {{ prefix }}identifiers.identifier_type = 'user_id'
            and {{ prefix }}identifiers.identifier = user_merges.user_id
    left join {{ prefix }}links_ranked as first_links
        on
            {{ prefix }}identifiers.identifier_type = 'anonymous_id'
            and {{ prefix }}identifiers.identifier = first_links.anonymous_id
            and first_links.link_rank = 1
    left join {{ user_merges }} as linked_user_merges
        on first_links.user_id = linked_user_merges.user_id

),

{{ prefix }}identities as (

    select
        identifier_type,
        identifier,
        canonical_user_id,
        case
            when canonical_user_id is not null then md5('user:' || canonical_user_id)
            else md5('anon:' || identifier)
        end as person_id
    from {{ prefix }}resolved

)
{%- endmacro %}
