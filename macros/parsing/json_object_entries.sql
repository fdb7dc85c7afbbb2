{#- Select-list expression: one row per key of a JSON object (column `json_key`). -#}
{% macro json_object_keys(json_text) -%}
    {{ return(adapter.dispatch('json_object_keys', 'product_analytics')(json_text)) }}
{%- endmacro %}

{% macro duckdb__json_object_keys(json_text) -%}
    unnest(json_keys({{ json_text }}))
{%- endmacro %}

{#- The JSON value (as JSON text) of `key` in a JSON object, or null when absent. -#}
{% macro json_value_of_key(json_text, key) -%}
    {{ return(adapter.dispatch('json_value_of_key', 'product_analytics')(json_text, key)) }}
{%- endmacro %}

{% macro duckdb__json_value_of_key(json_text, key) -%}
    json_extract({{ json_text }}, '$."' || replace(replace({{ key }}, '\', '\\'), '"', '\"') || '"')
{%- endmacro %}

{#- The JSON type of a JSON text value: null, string, number, boolean, object or array. -#}
{% macro json_kind(json_value) -%}
    {{ return(adapter.dispatch('json_kind', 'product_analytics')(json_value)) }}
{%- endmacro %}

{% macro duckdb__json_kind(json_value) -%}
    case json_type({{ json_value }})
        when 'NULL' then 'null'
        when 'VARCHAR' then 'string'
        when 'BOOLEAN' then 'boolean'
        when 'OBJECT' then 'object'
        when 'ARRAY' then 'array'
        else 'number'
    end
{%- endmacro %}

{#- A text value as a JSON string literal (escaped, UTF-8 kept). -#}
{% macro json_string_literal(text) -%}
    {{ return(adapter.dispatch('json_string_literal', 'product_analytics')(text)) }}
{%- endmacro %}

{% macro duckdb__json_string_literal(text) -%}
    to_json({{ text }})::varchar
{%- endmacro %}

{#- The text of a JSON string value. -#}
{% macro json_string_value(json_value) -%}
    {{ return(adapter.dispatch('json_string_value', 'product_analytics')(json_value)) }}
{%- endmacro %}

{% macro duckdb__json_string_value(json_value) -%}
    json_extract_string({{ json_value }}, '$')
{%- endmacro %}
