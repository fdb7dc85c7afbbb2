{#-
    Reporting periods (SPEC §6) of local dates: `grain` is `day`, `week` (starting on
    Monday) or `month` (calendar month), known when the model is compiled. Every result is
    a date (SPEC §13: date_trunc returns a timestamp on DuckDB).
-#}

{#- The first day of the period holding `date`. date_trunc('week') starts on Monday on DuckDB, Spark and Postgres. -#}
{% macro period_start(grain, date) -%}
    {%- if grain == 'day' -%}
        {{ date }}
    {%- elif grain in ('week', 'month') -%}
        cast(date_trunc('{{ grain }}', {{ date }}) as date)
    {%- else -%}
        {{ exceptions.raise_compiler_error("unknown grain: " ~ grain) }}
    {%- endif -%}
{%- endmacro %}

{#- The start of the period `count` periods after the period starting at `period_start`. -#}
{% macro add_periods(grain, period_start, count) -%}
    {%- if grain == 'day' -%}
        {{ product_analytics.add_days(period_start, count) }}
    {%- elif grain == 'week' -%}
        {{ product_analytics.add_days(period_start, '7 * (' ~ count ~ ')') }}
    {%- elif grain == 'month' -%}
        {{ product_analytics.add_months(period_start, count) }}
    {%- else -%}
        {{ exceptions.raise_compiler_error("unknown grain: " ~ grain) }}
    {%- endif -%}
{%- endmacro %}

{#-
    An integer that grows by one from each period to the next, for differences between
    periods: days since 1970-01-01, weeks since Monday 1970-01-05, or year * 12 + month - 1.
-#}
{% macro period_index(grain, date) -%}
    {%- if grain == 'day' -%}
        {{ product_analytics.days_between("cast('1970-01-01' as date)", date) }}
    {%- elif grain == 'week' -%}
        {%- set week_start = product_analytics.period_start('week', date) -%}
        cast({{ product_analytics.days_between("cast('1970-01-05' as date)", week_start) }} / 7 as integer)
    {%- elif grain == 'month' -%}
        (extract(year from {{ date }}) * 12 + extract(month from {{ date }}) - 1)
    {%- else -%}
        {{ exceptions.raise_compiler_error("unknown grain: " ~ grain) }}
    {%- endif -%}
{%- endmacro %}

{#- The date `days` days after `date`. -#}
{% macro add_days(date, days) -%}
    {{ return(adapter.dispatch('add_days', 'product_analytics')(date, days)) }}
{%- endmacro %}

{% macro default__add_days(date, days) -%}
    cast({{ date }} + ({{ days }}) as date)
{%- endmacro %}

{% macro duckdb__add_days(date, days) -%}
    cast({{ date }} + ({{ days }}) as date)
{%- endmacro %}

{% macro spark__add_days(date, days) -%}
    date_add({{ date }}, {{ days }})
{%- endmacro %}

{#- The date `months` calendar months after `date`. -#}
{% macro add_months(date, months) -%}
    {{ return(adapter.dispatch('add_months', 'product_analytics')(date, months)) }}
{%- endmacro %}

{% macro default__add_months(date, months) -%}
    cast({{ date }} + ({{ months }}) * interval '1 month' as date)
{%- endmacro %}

{% macro duckdb__add_months(date, months) -%}
    cast({{ date }} + to_months({{ months }}) as date)
{%- endmacro %}

{% macro spark__add_months(date, months) -%}
    add_months({{ date }}, {{ months }})
{%- endmacro %}

{#- Days from `start_date` to `end_date` (negative when end is earlier). -#}
{% macro days_between(start_date, end_date) -%}
    {{ return(adapter.dispatch('days_between', 'product_analytics')(start_date, end_date)) }}
{%- endmacro %}

{% macro default__days_between(start_date, end_date) -%}
    ({{ end_date }} - {{ start_date }})
{%- endmacro %}

{% macro duckdb__days_between(start_date, end_date) -%}
    date_diff('day', {{ start_date }}, {{ end_date }})
{%- endmacro %}

{% macro spark__days_between(start_date, end_date) -%}
    datediff({{ end_date }}, {{ start_date }})
{%- endmacro %}
