{#- Trim ASCII whitespace (space, tab, CR, LF, FF, VT) from both ends; empty becomes null (SPEC §2: text values are trimmed, empty means absent). -#}
{% macro trim_text(expression) -%}
    {{ return(adapter.dispatch('trim_text', 'product_analytics')(expression)) }}
{%- endmacro %}

{#- SQL's trim with a character set: space, tab, LF, VT, FF, CR. -#}
{% macro default__trim_text(expression) -%}
    nullif(trim(both ' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13) from {{ expression }}), '')
{%- endmacro %}

{% macro duckdb__trim_text(expression) -%}
    nullif(regexp_replace({{ expression }}, '^[ \t\r\n\f\v]+|[ \t\r\n\f\v]+$', '', 'g'), '')
{%- endmacro %}

{% macro spark__trim_text(expression) -%}
    nullif(trim(both concat(' ', chr(9), chr(10), chr(11), chr(12), chr(13)) from {{ expression }}), '')
{%- endmacro %}
