{#- Extract many JSON paths from one JSON text with a single parse; returns a list indexed 1..n in the order of `paths`. -#}
{% macro json_extract_paths(json_text, paths) -%}
    {{ return(adapter.dispatch('json_extract_paths', 'product_analytics')(json_text, paths)) }}
{%- endmacro %}

{% macro duckdb__json_extract_paths(json_text, paths) -%}
    json_extract({{ json_text }}, [{% for path in paths %}'{{ path }}'{% if not loop.last %}, {% endif %}{% endfor %}])
{%- endmacro %}
