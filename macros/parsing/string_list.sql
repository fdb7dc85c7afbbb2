{#- A list var rendered as a SQL list of string literals, quotes escaped. Callers must handle the empty list themselves (SPEC §13: `not in ()` traps). -#}
{% macro string_list(values) -%}
    {%- for value in values -%}
        '{{ value | replace("'", "''") }}'{% if not loop.last %}, {% endif %}
    {%- endfor -%}
{%- endmacro %}

{#- SQL boolean: `expression` is one of `values` (false for an empty list). -#}
{% macro is_in_list(expression, values) -%}
    {%- if values | length > 0 -%}
        coalesce({{ expression }} in ({{ product_analytics.string_list(values) }}), false)
    {%- else -%}
        false
    {%- endif -%}
{%- endmacro %}
