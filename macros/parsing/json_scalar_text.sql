{#- The text of a JSON scalar (SPEC §2): a string as its value, a number or boolean as its JSON text, trimmed; null, objects, arrays and empty text are absent. `json_value` is one element of the list returned by `json_extract_paths`. -#}
{% macro json_scalar_text(json_value) -%}
    {{ return(adapter.dispatch('json_scalar_text', 'product_analytics')(json_value)) }}
{%- endmacro %}

{% macro duckdb__json_scalar_text(json_value) -%}
    case
        when json_type({{ json_value }}) in ('VARCHAR', 'BIGINT', 'UBIGINT', 'DOUBLE', 'HUGEINT', 'BOOLEAN')
            then {{ product_analytics.trim_text("json_extract_string(" ~ json_value ~ ", '$')") }}
    end
{%- endmacro %}
