{#- Table function for a lateral join: one row per entry of a JSON object, with columns `key` (text) and `value` (JSON text). No JSON path is built from the key, so keys such as "" or "*" are safe. -#}
{% macro json_object_entries(json_text) -%}
    {{ return(adapter.dispatch('json_object_entries', 'product_analytics')(json_text)) }}
{%- endmacro %}

{% macro duckdb__json_object_entries(json_text) -%}
    json_each({{ json_text }})
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

{#- Aggregate: the text of a JSON object built from one row per entry, `key_text` (text, escaped here) and `value_json` (JSON text), entries ordered by `order_by_clause` (repeated keys are kept). -#}
{% macro json_object_from_entries(key_text, value_json, order_by_clause) -%}
    '{' || {{ dbt.listagg(
        product_analytics.json_string_literal(key_text) ~ " || ':' || " ~ value_json, "','", order_by_clause
    ) }} || '}'
{%- endmacro %}
