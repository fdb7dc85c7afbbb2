{#-
    Set-returning expression for a select list: one row per `datepart` ('day' or 'month')
    from `start_date` to `end_date`, both dates, both included, as dates. Callers must
    filter out rows where start_date > end_date (Spark's sequence() fails on them).
-#}
{% macro revenue_date_series(start_date, end_date, datepart) -%}
    {{ return(adapter.dispatch('revenue_date_series', 'product_analytics')(start_date, end_date, datepart)) }}
{%- endmacro %}

{% macro default__revenue_date_series(start_date, end_date, datepart) -%}
    cast(generate_series({{ start_date }}, {{ end_date }}, interval '1 {{ datepart }}') as date)
{%- endmacro %}

{% macro duckdb__revenue_date_series(start_date, end_date, datepart) -%}
    cast(unnest(generate_series({{ start_date }}, {{ end_date }}, interval 1 {{ datepart }})) as date)
{%- endmacro %}

{% macro spark__revenue_date_series(start_date, end_date, datepart) -%}
    explode(sequence({{ start_date }}, {{ end_date }}, interval 1 {{ datepart }}))
{%- endmacro %}
