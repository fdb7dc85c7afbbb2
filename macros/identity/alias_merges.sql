{#-
    Alias merges between user ids (SPEC §4), as a relation expression for a `from`
    clause: one row per merged user_id with its canonical (root) user_id.

    `events` is a relation of accepted events (event_id, event_type, user_id, previous_id,
    occurred_at); `tombstones` one of deleted identifiers (identifier_type,
    identifier_token). An alias whose previous_id is used as a user_id on some accepted
    event (or was the user_id of a person deleted earlier) merges that user into the
    alias's user_id. Aliases are processed in (occurred_at, event_id) order; one is
    skipped when its previous_id already has a parent, or when it would close a cycle
    (self-aliases included). A skipped alias does not use up the slot; a deleted user that
    had been merged into another keeps its slot taken (tombstone type merged_user_id).

    The order matters only inside a group of user ids connected by aliases, so the ids are
    first split into connected components, then each component's aliases are replayed one
    by one, carrying the component's parent forest as a list of (node, root) pairs. Used
    by int_user_merges (the events that remain) and by base_events__ledger (every event,
    before deletion requests are applied, to find whole persons).
-#}
{% macro alias_merges(events, tombstones) -%}
    {{ return(adapter.dispatch('alias_merges', 'product_analytics')(events, tombstones)) }}
{%- endmacro %}

{% macro default__alias_merges(events, tombstones) -%}
    (
        with recursive

        user_tombstones as (

            select
                identifier_type,
                identifier_token
            from {{ tombstones }}
            where identifier_type in ('user_id', 'merged_user_id')

        ),

        known_user_ids as (

            {#- user ids on accepted events, and user ids of persons deleted earlier (SPEC §11) -#}
            select distinct user_id
            from {{ events }}
            where user_id is not null

            union

            select distinct aliases.previous_id as user_id
            from {{ events }} as aliases
            inner join user_tombstones
                on {{ product_analytics.identifier_tombstone("'user_id'", 'aliases.previous_id') }}
                = user_tombstones.identifier_token
            where aliases.event_type = 'alias'

        ),

        merge_aliases as (

            select
                aliases.event_id,
                aliases.occurred_at,
                aliases.previous_id,
                aliases.user_id
            from {{ events }} as aliases
            inner join known_user_ids
                on aliases.previous_id = known_user_ids.user_id
            left join user_tombstones as merged_tombstones
                on
                    {{ product_analytics.identifier_tombstone("'user_id'", 'aliases.previous_id') }}
                    = merged_tombstones.identifier_token
                    and merged_tombstones.identifier_type = 'merged_user_id'
            where
                aliases.event_type = 'alias'
                {#- a deleted user that had been merged into another keeps its slot taken -#}
                and merged_tombstones.identifier_token is null

        ),

        alias_edges as (

            select
                previous_id as from_id,
                user_id as to_id
            from merge_aliases
            union
            select
                user_id as from_id,
                previous_id as to_id
            from merge_aliases

        ),

        reachable as (

            {#- every id reachable from each id over aliases in either direction -#}
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
                {{ product_analytics.empty_forest() }} as forest
            from ordered_aliases
            where alias_step = 1

            union all

            select
                replayed.component_id,
                ordered_aliases.alias_step,
                case
                    when
                        {{ product_analytics.forest_lookup('replayed.forest', 'ordered_aliases.previous_id') }} is null
                        and coalesce(
                            {{ product_analytics.forest_lookup('replayed.forest', 'ordered_aliases.user_id') }},
                            ordered_aliases.user_id
                        ) != ordered_aliases.previous_id
                        then {{ product_analytics.forest_attach(
                            'replayed.forest',
                            'ordered_aliases.previous_id',
                            'coalesce(' ~ product_analytics.forest_lookup('replayed.forest', 'ordered_aliases.user_id')
                            ~ ', ordered_aliases.user_id)'
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
                forest,
                row_number() over (partition by component_id order by alias_step desc) as step_from_end
            from replayed

        ),

        merged_users as (

            select {{ product_analytics.forest_entries('forest') }}
            from final_forests
            where step_from_end = 1

        )

        select
            node as user_id,
            root as canonical_user_id
        from merged_users
    )
{%- endmacro %}
