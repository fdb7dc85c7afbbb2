{#- Helpers of int_user_merges: a parent forest kept as a list of struct(node, root), each merged node with the root of its tree. -#}

{#- The root recorded for `node`, or null when the node has no parent. -#}
{% macro forest_lookup(forest, node) -%}
    {{ return(adapter.dispatch('forest_lookup', 'product_analytics')(forest, node)) }}
{%- endmacro %}

{% macro duckdb__forest_lookup(forest, node) -%}
    list_filter({{ forest }}, entry -> entry.node = {{ node }})[1].root
{%- endmacro %}

{#- The forest after attaching root `node` under `new_root`: every node whose root was `node` now has root `new_root`. -#}
{% macro forest_attach(forest, node, new_root) -%}
    {{ return(adapter.dispatch('forest_attach', 'product_analytics')(forest, node, new_root)) }}
{%- endmacro %}

{% macro duckdb__forest_attach(forest, node, new_root) -%}
    list_append(
        list_transform(
            {{ forest }},
            entry -> struct_pack(
                node := entry.node,
                root := case when entry.root = {{ node }} then {{ new_root }} else entry.root end
            )
        ),
        struct_pack(node := {{ node }}, root := {{ new_root }})
    )
{%- endmacro %}

{#- Set-returning select list: one row per forest entry, with columns node and root. -#}
{% macro forest_entries(forest) -%}
    {{ return(adapter.dispatch('forest_entries', 'product_analytics')(forest)) }}
{%- endmacro %}

{% macro duckdb__forest_entries(forest) -%}
    unnest({{ forest }}, recursive := true)
{%- endmacro %}

{% macro spark__forest_entries(forest) -%}
    inline({{ forest }})
{%- endmacro %}
