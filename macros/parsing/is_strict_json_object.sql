{#- True when the text is one RFC 8259 JSON object: the engine's JSON validator, plus the checks it skips (NaN, Infinity, trailing commas), made on the text with string literals blanked out (SPEC §13). -#}
{% macro is_strict_json_object(text) -%}
    {{ return(adapter.dispatch('is_strict_json_object', 'product_analytics')(text)) }}
{%- endmacro %}

{% macro duckdb__is_strict_json_object(text) -%}
    case
        when coalesce(json_valid({{ text }}), false)
            then json_type({{ text }}) = 'OBJECT'
            and (
                {#- cheap screen first: only lines that hold these tokens anywhere need the full check -#}
                not regexp_matches({{ text }}, '(?i)nan|inf|,[ \t\r\n]*[\]}]')
                or not regexp_matches(
                    regexp_replace(
                        regexp_replace({{ text }}, '"(\\.|[^"\\])*"', '""', 'g'),
                        'true|false|null', '', 'g'
                    ),
                    '[a-df-zA-DF-Z]|,[ \t\r\n]*[\]}]'
                )
            )
        else false
    end
{%- endmacro %}
