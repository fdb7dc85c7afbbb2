{#- The median of a numeric expression; the median of an even count is the mean of the two middle values. -#}
{% macro median(expression) -%}
    {{ return(adapter.dispatch('median', 'product_analytics')(expression)) }}
{%- endmacro %}

{% macro default__median(expression) -%}
    percentile_cont(0.5) within group (order by {{ expression }})
{%- endmacro %}

{% macro duckdb__median(expression) -%}
    quantile_cont({{ expression }}, 0.5)
{%- endmacro %}

{#- percentile() interpolates between the two middle values, as quantile_cont does (exact, unlike percentile_approx) -#}
{% macro spark__median(expression) -%}
    percentile({{ expression }}, 0.5)
{%- endmacro %}
