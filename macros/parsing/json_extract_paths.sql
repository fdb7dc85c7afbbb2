{#- Extract many JSON paths from one JSON text with a single parse; returns a list indexed 1..n in the order of `paths`. -#}
{% macro json_extract_paths(json_text, paths) -%}
    {{ return(adapter.dispatch('json_extract_paths', 'product_analytics')(json_text, paths)) }}
{%- endmacro %}

{#- SQL/JSON's json_query returns one path at a time and no list type is portable. -#}
{% macro default__json_extract_paths(json_text, paths) -%}
    {{ product_analytics.no_portable_default('json_extract_paths') }}
{%- endmacro %}

{% macro duckdb__json_extract_paths(json_text, paths) -%}
    json_extract({{ json_text }}, [{% for path in paths %}'{{ path }}'{% if not loop.last %}, {% endif %}{% endfor %}])
{%- endmacro %}

{#-
    Spark has no JSON type: each element is the JSON text of the value (strings keep their
    quotes), read by json_kind, json_scalar_text and json_string_value. get_json_object on
    the line wrapped in [ ] with a `$[*]` path returns strings quoted, takes the first of
    duplicate keys (as DuckDB) and renders numbers through a double (1.50 as 1.5), as
    DuckDB does; JSON null and an absent path are both SQL null. Spark arrays are 0-based:
    a leading null keeps element [i] the i-th path, so callers index it as on DuckDB.
-#}
{% macro spark__json_extract_paths(json_text, paths) -%}
    array(
        cast(null as string)
        {%- for path in paths %}
            {%- if not path.startswith('$.') -%}
                {{ exceptions.raise_compiler_error("json_extract_paths: paths start with '$.', got " ~ path) }}
            {%- endif %},
        get_json_object(concat('[', {{ json_text }}, ']'), '$[*]{{ path[1:] }}')
        {%- endfor %}
    )
{%- endmacro %}
