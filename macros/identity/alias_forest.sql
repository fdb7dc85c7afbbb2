{#- Helpers of alias_merges: a parent forest kept as a list of struct(node, root), each merged node with the root of its tree. -#}

{#- A forest without entries. -#}
{% macro empty_forest() -%}
    {{ return(adapter.dispatch('empty_forest', 'product_analytics')()) }}
{%- endmacro %}

{% macro default__empty_forest() -%}
    cast(array[] as row(node varchar, root varchar) array)
{%- endmacro %}

{% macro duckdb__empty_forest() -%}
    []::struct(node varchar, root varchar)[]
{%- endmacro %}

{% macro spark__empty_forest() -%}
    cast(array() as array<struct<node: string, root: string>>)
{%- endmacro %}

{#- The root recorded for `node`, or null when the node has no parent. -#}
{% macro forest_lookup(forest, node) -%}
    {{ return(adapter.dispatch('forest_lookup', 'product_analytics')(forest, node)) }}
{%- endmacro %}

{% macro default__forest_lookup(forest, node) -%}
    {{ exceptions.raise_compiler_error("forest_lookup: lists of structs are supported on duckdb and spark only") }}
{%- endmacro %}

{% macro duckdb__forest_lookup(forest, node) -%}
    list_filter({{ forest }}, entry -> entry.node = {{ node }})[1].root
{%- endmacro %}

{% macro spark__forest_lookup(forest, node) -%}
    try_element_at(filter({{ forest }}, entry -> entry.node = {{ node }}), 1).root
{%- endmacro %}

{#- The forest after attaching root `node` under `new_root`: every node whose root was `node` now has root `new_root`. -#}
{% macro forest_attach(forest, node, new_root) -%}
    {{ return(adapter.dispatch('forest_attach', 'product_analytics')(forest, node, new_root)) }}
{%- endmacro %}

{% macro default__forest_attach(forest, node, new_root) -%}
    {{ exceptions.raise_compiler_error("forest_attach: lists of structs are supported on duckdb and spark only") }}
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

{% macro spark__forest_attach(forest, node, new_root) -%}
    array_append(
        transform(
            {{ forest }},
            entry -> named_struct(
                'node', entry.node,
                'root', case when entry.root = {{ node }} then {{ new_root }} else entry.root end
            )
        ),
        named_struct('node', {{ node }}, 'root', {{ new_root }})
    )
{%- endmacro %}

{#- Set-returning select list: one row per forest entry, with columns node and root. -#}
{% macro forest_entries(forest) -%}
    {{ return(adapter.dispatch('forest_entries', 'product_analytics')(forest)) }}
{%- endmacro %}

{% macro default__forest_entries(forest) -%}
    {{ exceptions.raise_compiler_error("forest_entries: lists of structs are supported on duckdb and spark only") }}
{%- endmacro %}

{% macro duckdb__forest_entries(forest) -%}
    unnest({{ forest }}, recursive := true)
{%- endmacro %}

{% macro spark__forest_entries(forest) -%}
    inline({{ forest }})
{%- endmacro %}
