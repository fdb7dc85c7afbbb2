{#- SPEC §5 channel rule condition for one field: an empty regex matches anything, `__null__` needs the value absent, any other regex must fully match the lowercased value. -#}
{% macro channel_rule_matches(rule_regex, value) -%}
    (
        coalesce({{ rule_regex }}, '') = ''
        or ({{ rule_regex }} = '__null__' and {{ value }} is null)
        or (
            {{ rule_regex }} != '__null__'
            and {{ value }} is not null
            and {{ product_analytics.regex_full_match(product_analytics.lower_text(value), rule_regex) }}
        )
    )
{%- endmacro %}
