{#-
    Alias merges between user ids (SPEC §4): CTE definitions for the calling model's
    `with recursive` list, each named with `prefix`; the last, <prefix>merges, has one row
    per merged user_id with its canonical (root) user_id.

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
{% macro alias_merges(events, tombstones, prefix) -%}
    {{ return(adapter.dispatch('alias_merges', 'product_analytics')(events, tombstones, prefix)) }}
{%- endmacro %}

{% macro default__alias_merges(events, tombstones, prefix) -%}
{{ prefix }}user_tombstones as (

    select
        identifier_type,
        identifier_token
    from {{ tombstones }}
    where identifier_type in ('user_id', 'merged_user_id')

),

{{ prefix }}known_user_ids as (

    {#- user ids on accepted events, and user ids of persons deleted earlier (SPEC §11) -#}
    select distinct user_id
    from {{ events }}
    where user_id is not null

    union

    select distinct aliases.previous_id as user_id
    from {{ events }} as aliases
    inner join {{ prefix }}user_tombstones
        on {{ product_analytics.identifier_tombstone("'user_id'", 'aliases.previous_id') }}
        = {{ prefix }}user_tombstones.identifier_token
    where aliases.event_type = 'alias'

),

{{ prefix }}merge_aliases as (

    select
        aliases.event_id,
        aliases.occurred_at,
        aliases.previous_id,
        aliases.user_id
    from {{ events }} as aliases
    inner join {{ prefix }}known_user_ids
        on aliases.previous_id = {{ prefix }}known_user_ids.user_id
    left join {{ prefix }}user_tombstones as merged_tombstones
        on
            {{ product_analytics.identifier_tombstone("'user_id'", 'aliases.previous_id') }}
            = merged_tombstones.identifier_token
            and merged_tombstones.identifier_type = 'merged_user_id'
    where
        aliases.event_type = 'alias'
        {#- a deleted user that had been merged into another keeps its slot taken -#}
        and merged_tombstones.identifier_token is null

),

{{ prefix }}alias_edges as (

    select
        previous_id as from_id,
        user_id as to_id
    from {{ prefix }}merge_aliases
    union
    select
        user_id as from_id,
        previous_id as to_id
    from {{ prefix }}merge_aliases

),

{{ product_analytics.alias_components(prefix) }},

{{ prefix }}ordered_aliases as (

    select
        {{ prefix }}components.component_id,
        row_number() over (
            partition by {{ prefix }}components.component_id
            order by {{ prefix }}merge_aliases.occurred_at, {{ prefix }}merge_aliases.event_id
        ) as alias_step,
        {{ prefix }}merge_aliases.previous_id,
        {{ prefix }}merge_aliases.user_id
    from {{ prefix }}merge_aliases
    inner join {{ prefix }}components
        on {{ prefix }}merge_aliases.previous_id = {{ prefix }}components.user_id

),

{{ prefix }}replayed as (

    select
        component_id,
        0 as alias_step,
        {{ product_analytics.empty_forest() }} as forest
    from {{ prefix }}ordered_aliases
    where alias_step = 1

    union all

    select
        {{ prefix }}replayed.component_id,
        {{ prefix }}ordered_aliases.alias_step,
        case
            when
                {{ product_analytics.forest_lookup(prefix ~ 'replayed.forest', prefix ~ 'ordered_aliases.previous_id') }} is null
                and coalesce(
                    {{ product_analytics.forest_lookup(prefix ~ 'replayed.forest', prefix ~ 'ordered_aliases.user_id') }},
                    {{ prefix }}ordered_aliases.user_id
                ) != {{ prefix }}ordered_aliases.previous_id
                then {{ product_analytics.forest_attach(
                    prefix ~ 'replayed.forest',
                    prefix ~ 'ordered_aliases.previous_id',
                    'coalesce(' ~ product_analytics.forest_lookup(prefix ~ 'replayed.forest', prefix ~ 'ordered_aliases.user_id')
                    ~ ', ' ~ prefix ~ 'ordered_aliases.user_id)'
                ) }}
            else {{ prefix }}replayed.forest
        end as forest
    from {{ prefix }}replayed
    inner join {{ prefix }}ordered_aliases
        on
            {{ prefix }}replayed.component_id = {{ prefix }}ordered_aliases.component_id
            and {{ prefix }}ordered_aliases.alias_step = {{ prefix }}replayed.alias_step + 1

),

{{ prefix }}final_forests as (

    select
        component_id,
        forest,
        row_number() over (partition by component_id order by alias_step desc) as step_from_end
    from {{ prefix }}replayed

),

{{ prefix }}merged_users as (

    select {{ product_analytics.forest_entries('forest') }}
    from {{ prefix }}final_forests
    where step_from_end = 1

),

{{ prefix }}merges as (

    select
        node as user_id,
        root as canonical_user_id
    from {{ prefix }}merged_users

)
{%- endmacro %}

{#- The connected components of the alias graph: CTE definitions ending in <prefix>components (user_id, component_id: the smallest user_id of its component), from <prefix>alias_edges (from_id, to_id, both directions). -#}
{% macro alias_components(prefix) -%}
    {{ return(adapter.dispatch('alias_components', 'product_analytics')(prefix)) }}
{%- endmacro %}

{% macro default__alias_components(prefix) -%}
{{ prefix }}reachable as (

    {#- every id reachable from each id over aliases in either direction -#}
    select distinct
        from_id as user_id,
        from_id as reached_from
    from {{ prefix }}alias_edges

    union

    select
        {{ prefix }}alias_edges.to_id as user_id,
        {{ prefix }}reachable.reached_from
    from {{ prefix }}reachable
    inner join {{ prefix }}alias_edges
        on {{ prefix }}reachable.user_id = {{ prefix }}alias_edges.from_id

),

{{ prefix }}components as (

    select
        user_id,
        min(reached_from) as component_id
    from {{ prefix }}reachable
    group by user_id

)
{%- endmacro %}

{% macro duckdb__alias_components(prefix) -%}
{{ return(product_analytics.default__alias_components(prefix)) }}
{%- endmacro %}

{#-
    Spark: the smallest label of each id's neighbours (itself included), over var
    `spark_closure_rounds` unrolled rounds (its recursive CTEs take UNION ALL only); the
    query fails (raise_error) when the last round still changed a label.
-#}
{% macro spark__alias_components(prefix) -%}
{%- set rounds = var('spark_closure_rounds', 8) | int -%}
{{ prefix }}alias_neighbours as (
    select
        from_id,
        to_id
    from {{ prefix }}alias_edges

    union

    select
        from_id,
        from_id as to_id
    from {{ prefix }}alias_edges
),

{{ prefix }}component_labels_0 as (
    select distinct
        from_id as user_id,
        from_id as component_id
    from {{ prefix }}alias_edges
),
{%- for round in range(1, rounds + 1) %}

{{ prefix }}component_labels_{{ round }} as (
    select
        {{ prefix }}alias_neighbours.from_id as user_id,
        min({{ prefix }}component_labels_{{ round - 1 }}.component_id) as component_id
    from {{ prefix }}alias_neighbours
    inner join {{ prefix }}component_labels_{{ round - 1 }}
        on {{ prefix }}alias_neighbours.to_id = {{ prefix }}component_labels_{{ round - 1 }}.user_id
    group by {{ prefix }}alias_neighbours.from_id
),
{%- endfor %}

{{ prefix }}components as (
    select
        user_id,
        component_id
    from {{ prefix }}component_labels_{{ rounds }}
    where
        case
            when
                (
                    select count(*)
                    from {{ prefix }}component_labels_{{ rounds }} as last_labels
                    inner join {{ prefix }}component_labels_{{ rounds - 1 }} as previous_labels
                        on
                            last_labels.user_id = previous_labels.user_id
                            and last_labels.component_id != previous_labels.component_id
                ) = 0
                then true
            else raise_error('alias_components: labels still changing after {{ rounds }} rounds; raise var spark_closure_rounds')
        end
)
{%- endmacro %}
