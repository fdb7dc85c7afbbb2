{#-
    The text of a JSON scalar (SPEC §2): a string as its value, a number or boolean as its
    JSON text, trimmed; null, objects, arrays and empty text are absent. `json_value` is one
    element of the list returned by `json_extract_paths`.

    The engine re-renders numbers (1.50 becomes 1.5, 2E3 becomes 2000.0). For top-level
    fields pass `raw_line` and `top_level_key`: a number's text is then recovered from the
    raw line (the first `"key": <number>` whose value equals the parsed one).
-#}
{% macro json_scalar_text(json_value, raw_line=none, top_level_key=none) -%}
    {{ return(adapter.dispatch('json_scalar_text', 'product_analytics')(json_value, raw_line, top_level_key)) }}
{%- endmacro %}

{% macro duckdb__json_scalar_text(json_value, raw_line=none, top_level_key=none) -%}
    case
        {%- if raw_line is not none %}
            when json_type({{ json_value }}) in ('BIGINT', 'UBIGINT', 'DOUBLE', 'HUGEINT')
                then coalesce(
                    list_filter(
                        regexp_extract_all(
                            {{ raw_line }}, '"{{ top_level_key }}"[ \t\r\n]*:[ \t\r\n]*(-?[0-9][0-9.eE+-]*)', 1
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
