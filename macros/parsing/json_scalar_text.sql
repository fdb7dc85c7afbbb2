{#-
    The text of a JSON scalar (SPEC §2): a string as its value, a number or boolean as its
    JSON text, trimmed; null, objects, arrays and empty text are absent. `json_value` is one
    element of the list returned by `json_extract_paths`.

    The engine re-renders numbers (1.50 becomes 1.5, 2E3 becomes 2000.0). Pass `raw_line`
    and the field's `key` to recover a number's text from the raw line: the first
    `"key": <number>` whose value equals the parsed one, searched among the top-level
    fields only (nested objects and arrays stripped) unless `nested` is true.
-#}
{% macro json_scalar_text(json_value, raw_line=none, key=none, nested=false) -%}
    {{ return(adapter.dispatch('json_scalar_text', 'product_analytics')(json_value, raw_line, key, nested)) }}
{%- endmacro %}

{#- The text of a JSON object's top level: its body with nested objects and arrays (up to 8 levels) removed. -#}
{% macro json_top_level_text(raw_line) -%}
    {%- set text = namespace(value="substr(trim(" ~ raw_line ~ "), 2, length(trim(" ~ raw_line ~ ")) - 2)") -%}
    {%- for level in range(8) -%}
        {%- set text.value = "regexp_replace(" ~ text.value ~ ", '[{][^{}]*[}]|\\[[^\\[\\]]*\\]', '', 'g')" -%}
    {%- endfor -%}
    {{ text.value }}
{%- endmacro %}

{% macro default__json_scalar_text(json_value, raw_line=none, key=none, nested=false) -%}
    {{ product_analytics.no_portable_default('json_scalar_text') }}
{%- endmacro %}

{% macro duckdb__json_scalar_text(json_value, raw_line=none, key=none, nested=false) -%}
    case
        {%- if raw_line is not none %}
            when json_type({{ json_value }}) in ('BIGINT', 'UBIGINT', 'DOUBLE', 'HUGEINT')
                then coalesce(
                    list_filter(
                        regexp_extract_all(
                            {{ raw_line if nested else product_analytics.json_top_level_text(raw_line) }},
                            '"{{ product_analytics.json_key_pattern(key) }}"[ \t\r\n]*:[ \t\r\n]*(-?[0-9][0-9.eE+-]*)',
                            1
                        ),
                        number_text -> try_cast(number_text as double) = json_extract_string({{ json_value }}, '$')::double
                    )[1],
                    json_extract_string({{ json_value }}, '$')
                )
        {%- endif %}
        when json_type({{ json_value }}) in ('VARCHAR', 'BIGINT', 'UBIGINT', 'DOUBLE', 'HUGEINT', 'BOOLEAN')
            then {{ product_analytics.trim_text("json_extract_string(" ~ json_value ~ ", '$')") }}
    end
{%- endmacro %}

{#- A regex matching a JSON object key as it may be written in raw text: each character as itself or as its \uXXXX escape. -#}
{% macro json_key_pattern(key) -%}
    {%- set printable = ' !"#$%&' ~ "'" ~ '()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~' -%}
    {%- for character in key -%}
        {%- set code = '%04x' | format(printable.find(character) + 32) -%}
        (?:{{ character }}|\\u{% for digit in code %}{% if digit in 'abcdef' %}[{{ digit }}{{ digit | upper }}]{% else %}{{ digit }}{% endif %}{% endfor %})
    {%- endfor -%}
{%- endmacro %}

{#- json_top_level_text for Spark: regexp_replace replaces every match; backslashes doubled for Spark's literals. -#}
{% macro spark_json_top_level_text(raw_line) -%}
    {%- set text = namespace(value="substr(trim(" ~ raw_line ~ "), 2, length(trim(" ~ raw_line ~ ")) - 2)") -%}
    {%- for level in range(8) -%}
        {%- set text.value = "regexp_replace(" ~ text.value ~ ", '[{][^{}]*[}]|\\\\[[^\\\\[\\\\]]*\\\\]', '')" -%}
    {%- endfor -%}
    {{ text.value }}
{%- endmacro %}

{#- `json_value` is JSON text (spark__json_extract_paths): a string starts with a quote, a number with - or a digit. -#}
{% macro spark__json_scalar_text(json_value, raw_line=none, key=none, nested=false) -%}
    case
        {%- if raw_line is not none %}
            when {{ json_value }} rlike '^-?[0-9]'
                then coalesce(
                    try_element_at(
                        filter(
                            regexp_extract_all(
                                {{ raw_line if nested else product_analytics.spark_json_top_level_text(raw_line) }},
                                '"{{ product_analytics.spark_escape(product_analytics.json_key_pattern(key)) }}"[ \\t\\r\\n]*:[ \\t\\r\\n]*(-?[0-9][0-9.eE+-]*)',
                                1
                            ),
                            number_text -> try_cast(number_text as double) = cast({{ json_value }} as double)
                        ),
                        1
                    ),
                    {{ json_value }}
                )
        {%- endif %}
        when {{ json_value }} like '"%'
            then {{ product_analytics.trim_text(product_analytics.json_string_value(json_value)) }}
        when {{ json_value }} rlike '^(-?[0-9]|true$|false$)'
            then {{ product_analytics.trim_text(json_value) }}
    end
{%- endmacro %}
