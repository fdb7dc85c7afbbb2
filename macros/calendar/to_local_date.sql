{#-
    SPEC §6: the calendar day, in var `reporting_timezone`, of a UTC timestamp (naive type
    meaning UTC). Each instant is converted with the zone's rules, so DST days have 23 or 25
    hours; never add 24-hour intervals to UTC instants (SPEC §13).
-#}
{% macro to_local_date(timestamp) -%}
    {{ return(adapter.dispatch('to_local_date', 'product_analytics')(timestamp)) }}
{%- endmacro %}

{% macro reporting_timezone_literal() -%}
    '{{ var("reporting_timezone") | replace("'", "''") }}'
{%- endmacro %}

{% macro default__to_local_date(timestamp) -%}
    cast(({{ timestamp }} at time zone 'UTC') at time zone {{ product_analytics.reporting_timezone_literal() }} as date)
{%- endmacro %}

{#- `timestamp at time zone 'UTC'` reads the naive value as UTC (timestamptz); timezone() gives its local wall time. -#}
{% macro duckdb__to_local_date(timestamp) -%}
    cast(timezone({{ product_analytics.reporting_timezone_literal() }}, {{ timestamp }} at time zone 'UTC') as date)
{%- endmacro %}

{#- Spark timestamps are instants; from_utc_timestamp renders one as wall time in the zone, which to_date reads in the session time zone: the spark target pins it to UTC. -#}
{% macro spark__to_local_date(timestamp) -%}
    to_date(from_utc_timestamp({{ timestamp }}, {{ product_analytics.reporting_timezone_literal() }}))
{%- endmacro %}
