{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['identifier_type', 'identifier'],
    )
}}

{#-
    One row per identifier seen on an accepted event, with its person (SPEC §4).
    An anonymous_id belongs to the user of its earliest link by (occurred_at, event_id):
    an event carrying both ids, or an alias whose previous_id is used as an anonymous_id.
    A user_id belongs to its canonical user (the root of its alias merges).

    The whole map is derived again on every run (it is small next to the events), but
    an incremental run writes only the identifiers that are new or changed person, with
    the person they had before, so the events of exactly those identifiers are re-keyed
    downstream.
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

),

final as (

    select
        mapped.identifier_type,
        mapped.identifier,
        mapped.person_id,
        mapped.canonical_user_id,
        {% if is_incremental() -%}
            previous_map.person_id as previous_person_id,
        {%- else -%}
            cast(null as {{ dbt.type_string() }}) as previous_person_id,
        {%- endif %}
        (select max(load_seq) from {{ ref('base_events__files') }}) as changed_seq
    from mapped
    {% if is_incremental() -%}
        left join {{ this }} as previous_map
            on
                mapped.identifier_type = previous_map.identifier_type
                and mapped.identifier = previous_map.identifier
        where previous_map.person_id is distinct from mapped.person_id
    {%- endif %}

)

select * from final
