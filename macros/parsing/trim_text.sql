{#- Trim ASCII whitespace (space, tab, CR, LF, FF, VT) from both ends; empty becomes null (SPEC §2: text values are trimmed, empty means absent). -#}
{% macro trim_text(expression) -%}
    {{ return(adapter.dispatch('trim_text', 'product_analytics')(expression)) }}
{%- endmacro %}

{% macro default__trim_text(expression) -%}
    nullif(regexp_replace({{ expression }}, '^[ \t\r\n\f\v]+|[ \t\r\n\f\v]+$', ''), '')
{%- endmacro %}

{% macro duckdb__trim_text(expression) -%}
    nullif(regexp_replace({{ expression }}, '^[ \t\r\n\f\v]+|[ \t\r\n\f\v]+$', '', 'g'), '')
{%- endmacro %}
