{#- SQL boolean: `left` and `right` are equal, two nulls counting as equal (is not distinct from, spelled so every engine and SQLFluff read it). -#}
{% macro is_same_value(left, right) -%}
    coalesce({{ left }} = {{ right }}, {{ left }} is null and {{ right }} is null)
{%- endmacro %}
