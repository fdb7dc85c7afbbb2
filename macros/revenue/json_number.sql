{#-
    SPEC §8: the value of `properties.<key>` as a double when it is a JSON number or a
    numeric string (ASCII whitespace trimmed; optional sign, digits with an optional
    fraction, optional exponent; no inf or nan); null otherwise (absent, null, boolean,
    object, array, other text). Chain several keys with coalesce for "the first numeric
    value among ...".
-#}
{% macro json_number(json_text, key) -%}
    {{ return(adapter.dispatch('json_number', 'product_analytics')(json_text, key)) }}
{%- endmacro %}

{% macro default__json_number(json_text, key) -%}
    {{ product_analytics.no_portable_default('json_number') }}
{%- endmacro %}

{% macro duckdb__json_number(json_text, key) -%}
    {#- a JSON number's text always matches the numeric-string pattern, so one test covers both -#}
    {%- set number = '[+-]?(?:[0-9]+(?:[.][0-9]*)?|[.][0-9]+)(?:[eE][+-]?[0-9]+)?' -%}
    {%- set space = '[ \\t\\n\\r\\f\\v]*' -%}
    cast(
        nullif(
            regexp_extract(
                json_extract_string({{ json_text }}, '$."{{ key }}"'),
                '^{{ space }}({{ number }}){{ space }}$',
                1
            ),
            ''
        ) as double
    )
{%- endmacro %}

{% macro spark__json_number(json_text, key) -%}
    {#- Spark string literals unescape backslashes, hence the doubling; Java's \s is the ASCII whitespace set -#}
    {%- set number = '[+-]?(?:[0-9]+(?:[.][0-9]*)?|[.][0-9]+)(?:[eE][+-]?[0-9]+)?' -%}
    {%- set space = '\\\\s*' -%}
    cast(
        nullif(
            regexp_extract(
                get_json_object({{ json_text }}, '$.{{ key }}'),
                '^{{ space }}({{ number }}){{ space }}$',
                1
            ),
            ''
        ) as double
    )
{%- endmacro %}
