{#-
    The identifiers connected to `seeds` (a relation with an `identifier` column) through
    the events of `event_identifiers` (event_id, identifier: each user_id, anonymous_id
    and previous_id an event carries), as a relation expression: identity (SPEC §4) is
    decided inside such a connected group, so resolving it over the group's events alone
    gives the persons of its identifiers exactly. Used by base_events__ledger to find
    whole persons to delete without resolving every identity.
-#}
{% macro identifier_component(seeds, event_identifiers) -%}
    {{ return(adapter.dispatch('identifier_component', 'product_analytics')(seeds, event_identifiers)) }}
{%- endmacro %}

{% macro default__identifier_component(seeds, event_identifiers) -%}
    (
        with recursive

        reached (identifier) as (

            select identifier from {{ seeds }}

            union

            select linked.identifier
            from reached
            inner join {{ event_identifiers }} as mentions
                on reached.identifier = mentions.identifier
            inner join {{ event_identifiers }} as linked
                on mentions.event_id = linked.event_id

        )

        select identifier from reached
    )
{%- endmacro %}
