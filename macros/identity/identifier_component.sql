{#-
    The identifiers connected to `seeds` (a relation with an `identifier` column) through
    the events of `event_identifiers` (event_id, identifier: each user_id, anonymous_id
    and previous_id an event carries): a CTE definition for the calling model's
    `with recursive` list, named <prefix>component. Identity (SPEC §4) is decided inside
    such a connected group, so resolving it over the group's events alone gives the
    persons of its identifiers exactly. Used by base_events__ledger to find whole persons
    to delete without resolving every identity.
-#}
{% macro identifier_component(seeds, event_identifiers, prefix) -%}
    {{ return(adapter.dispatch('identifier_component', 'product_analytics')(seeds, event_identifiers, prefix)) }}
{%- endmacro %}

{% macro default__identifier_component(seeds, event_identifiers, prefix) -%}
{{ prefix }}component (identifier) as (

    select identifier from {{ seeds }}

    union

    select linked.identifier
    from {{ prefix }}component
    inner join {{ event_identifiers }} as mentions
        on {{ prefix }}component.identifier = mentions.identifier
    inner join {{ event_identifiers }} as linked
        on mentions.event_id = linked.event_id

)
{%- endmacro %}

{%- macro duckdb__identifier_component(seeds, event_identifiers, prefix) -%}
{{ return(product_analytics.default__identifier_component(seeds, event_identifiers, prefix)) }}
{%- endmacro %}

{#-
    Spark's recursive CTEs take UNION ALL only, which never ends on a cyclic graph: the
    closure is unrolled instead, var `spark_closure_rounds` rounds of one step each over
    the identifier pairs that share an event, and the query fails (raise_error) when the
    last round still grew, so that a component wider than that number of steps is never
    cut silently: raise the var then.
-#}
{% macro spark__identifier_component(seeds, event_identifiers, prefix) -%}
{%- set rounds = var('spark_closure_rounds', 8) | int -%}
{{ prefix }}identifier_pairs as (
    select distinct
        mentions.identifier,
        linked.identifier as linked_identifier
    from {{ event_identifiers }} as mentions
    inner join {{ event_identifiers }} as linked
        on mentions.event_id = linked.event_id
),

{{ prefix }}component_round_0 as (
    select distinct identifier from {{ seeds }}
),
{%- for round in range(1, rounds + 1) %}

{{ prefix }}component_round_{{ round }} as (
    {#- identifier_pairs holds every identifier's pair with itself: the set only grows -#}
    select distinct {{ prefix }}identifier_pairs.linked_identifier as identifier
    from {{ prefix }}component_round_{{ round - 1 }}
    inner join {{ prefix }}identifier_pairs
        on {{ prefix }}component_round_{{ round - 1 }}.identifier = {{ prefix }}identifier_pairs.identifier
),
{%- endfor %}

{{ prefix }}component as (
    select identifier
    from {{ prefix }}component_round_{{ rounds }}
    where
        case
            when
                (select count(*) from {{ prefix }}component_round_{{ rounds }})
                = (select count(*) from {{ prefix }}component_round_{{ rounds - 1 }})
                then true
            else raise_error('identifier_component: not closed after {{ rounds }} rounds; raise var spark_closure_rounds')
        end
)
{%- endmacro %}
