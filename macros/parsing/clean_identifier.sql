{#- An identifier candidate after cleaning (SPEC §2): the placeholder values null, undefined, none, nan, anonymous, 0, -1 and [object object], in any case, mean absent. Input is already trimmed text. -#}
{% macro clean_identifier(text) -%}
    case
        when lower({{ text }}) not in ('null', 'undefined', 'none', 'nan', 'anonymous', '0', '-1', '[object object]')
            then {{ text }}
    end
{%- endmacro %}
