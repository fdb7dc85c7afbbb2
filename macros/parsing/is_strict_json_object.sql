{#- True when the text is one RFC 8259 JSON object: the engine's JSON validator, plus the checks it skips (NaN, Infinity, trailing commas), made on the text with string literals blanked out (SPEC §13). -#}
{% macro is_strict_json_object(text) -%}
    {{ return(adapter.dispatch('is_strict_json_object', 'product_analytics')(text)) }}
{%- endmacro %}

{% macro default__is_strict_json_object(text) -%}
    {{ product_analytics.no_portable_default('is_strict_json_object') }}
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

{#-
    Three checks, with Jackson held to RFC 8259 (no NaN, Infinity, single quotes, comments,
    leading zeros, unknown escapes or raw control characters; nesting deeper than Jackson's
    default 1000 levels allowed, as DuckDB does): from_json into a struct whose one field is
    the corrupt-record column (so repeated keys are no error) flags a bad object; the text
    wrapped in [ ] must read as a one-element array of objects (nothing after the object;
    fields are skipped, not copied, so deep nesting is read); and no \u
    escape may be an unpaired surrogate (Jackson accepts them; DuckDB and RFC 8259 text do not).
-#}
{% macro spark__is_strict_json_object(text) -%}
    {%- set strict -%}
            'maxNestingDepth', '1000000',
            'allowSingleQuotes', 'false',
            'allowNonNumericNumbers', 'false',
            'allowComments', 'false',
            'allowUnquotedFieldNames', 'false',
            'allowNumericLeadingZeros', 'false',
            'allowBackslashEscapingAnyCharacter', 'false',
            'allowUnquotedControlChars', 'false'
    {%- endset -%}
    coalesce(
        left(trim(leading concat(' ', chr(9), chr(10), chr(13)) from {{ text }}), 1) = '{'
        and size(from_json(concat('[', {{ text }}, ']'), 'array<struct<`_pa_not_json_`: string>>', map({{ strict }}))) = 1
        and from_json(
            {{ text }},
            'struct<`_pa_not_json_`: string>',
            map('mode', 'PERMISSIVE', 'columnNameOfCorruptRecord', '_pa_not_json_', {{ strict }})
        )._pa_not_json_ is null
        and not {{ text }} rlike '(?<!\\\\)(?:\\\\\\\\)*\\\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\\\u[dD][c-fC-F][0-9a-fA-F]{2})'
        and not {{ text }} rlike '(?<!\\\\)(?:\\\\\\\\)*(?<!\\\\u[dD][89abAB][0-9a-fA-F]{2})\\\\u[dD][c-fC-F][0-9a-fA-F]{2}',
        false
    )
{%- endmacro %}
