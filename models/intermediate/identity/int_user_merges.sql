{#-
    Alias merges between user ids (SPEC §4). An alias whose previous_id is used as a
    user_id on some accepted event merges that user into the alias's user_id. Aliases are
    processed in (occurred_at, event_id) order; one is skipped when its previous_id
    already has a parent, or when it would close a cycle (self-aliases included). A
    skipped alias does not use up the slot.

    The order matters only inside a group of user ids connected by aliases, so the ids
    are first split into connected components, then each component's aliases are replayed
    one by one, carrying the component's parent forest as a list of (node, root) pairs.
    Output: one row per merged user id with its canonical (root) user id.
-#}

with recursive

events as (

    select
        event_id,
        event_type,
        user_id,
        previous_id,
        occurred_at
    from {{ ref('stg_events') }}

),

tombstones as (

    select
        identifier_type,
        identifier_token
    from {{ ref('int_deleted_identifiers') }}
    where identifier_type in ('user_id', 'merged_user_id')

),

known_user_ids as (

    {#- user ids on accepted events, and user ids of persons deleted earlier (SPEC §11) -#}
    select distinct user_id
    from events
    where user_id is not null

    union

    select distinct events.previous_id as user_id
    from events
    inner join tombstones
        on {{ identifier_tombstone("'user_id'", 'events.previous_id') }} = tombstones.identifier_token
    where events.event_type = 'alias'

),

merge_aliases as (

    select
        events.event_id,
        events.occurred_at,
        events.previous_id,
        events.user_id
    from events
    inner join known_user_ids
        on events.previous_id = known_user_ids.user_id
    left join tombstones as merged_tombstones
        on
            {{ identifier_tombstone("'user_id'", 'events.previous_id') }} = merged_tombstones.identifier_token
            and merged_tombstones.identifier_type = 'merged_user_id'
    where
        events.event_type = 'alias'
        {#- a deleted user that had been merged into another keeps its slot taken -#}
        and merged_tombstones.identifier_token is null

),

alias_edges as (

    select previous_id as from_id, user_id as to_id from merge_aliases
    union
    select user_id as from_id, previous_id as to_id from merge_aliases

),

reachable as (

    {#- recursive: every id reachable from each id over aliases in either direction -#}
    select distinct
        from_id as user_id,
        from_id as reached_from
    from alias_edges

    union

    select
        alias_edges.to_id as user_id,
        reachable.reached_from
    from reachable
    inner join alias_edges
        on reachable.user_id = alias_edges.from_id

),

components as (

    select
        user_id,
        min(reached_from) as component_id
    from reachable
    group by user_id

),

ordered_aliases as (

    select
        components.component_id,
        row_number() over (
            partition by components.component_id
            order by merge_aliases.occurred_at, merge_aliases.event_id
        ) as alias_step,
        merge_aliases.previous_id,
        merge_aliases.user_id
    from merge_aliases
    inner join components
        on merge_aliases.previous_id = components.user_id

),

replayed as (

    select
        component_id,
        0 as alias_step,
        []::struct(node varchar, root varchar)[] as forest
    from ordered_aliases
    where alias_step = 1

    union all

    select
        replayed.component_id,
        ordered_aliases.alias_step,
        case
            when
                {{ forest_lookup('replayed.forest', 'ordered_aliases.previous_id') }} is null
                and coalesce(
                    {{ forest_lookup('replayed.forest', 'ordered_aliases.user_id') }},
                    ordered_aliases.user_id
                ) != ordered_aliases.previous_id
                then {{ forest_attach(
                    'replayed.forest',
                    'ordered_aliases.previous_id',
                    'coalesce(' ~ forest_lookup('replayed.forest', 'ordered_aliases.user_id') ~ ', ordered_aliases.user_id)'
                ) }}
            else replayed.forest
        end as forest
    from replayed
    inner join ordered_aliases
        on
            replayed.component_id = ordered_aliases.component_id
            and ordered_aliases.alias_step = replayed.alias_step + 1

),

final_forests as (

    select
        component_id,
        forest
    from replayed
    qualify row_number() over (partition by component_id order by alias_step desc) = 1

),

merged_users as (

    select {{ forest_entries("forest") }}
    from final_forests

),

final as (

    select
        node as user_id,
        root as canonical_user_id
    from merged_users

)

select * from final
