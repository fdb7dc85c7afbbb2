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
