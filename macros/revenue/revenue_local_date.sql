{#-
    The calendar day of a naive-UTC timestamp in var `reporting_timezone` (SPEC §6): the
    instant is converted to local time, so DST days are 23 or 25 hours long (SPEC §13).
    To be merged with the calendar macros.
-#}
{% macro revenue_local_date(timestamp) -%}
    {{ return(adapter.dispatch('revenue_local_date', 'product_analytics')(timestamp)) }}
{%- endmacro %}

{% macro duckdb__revenue_local_date(timestamp) -%}
    {%- set timezone_name = var('reporting_timezone') | replace("'", "''") -%}
    cast(timezone('{{ timezone_name }}', timezone('UTC', {{ timestamp }})) as date)
{%- endmacro %}

{% macro spark__revenue_local_date(timestamp) -%}
    {%- set timezone_name = var('reporting_timezone') | replace("'", "''") -%}
    to_date(from_utc_timestamp({{ timestamp }}, '{{ timezone_name }}'))
{%- endmacro %}

{% macro default__revenue_local_date(timestamp) -%}
    {%- set timezone_name = var('reporting_timezone') | replace("'", "''") -%}
    cast(({{ timestamp }} at time zone 'UTC') at time zone '{{ timezone_name }}' as date)
{%- endmacro %}
