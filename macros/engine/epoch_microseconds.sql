{#- Microseconds since 1970-01-01 of a UTC timestamp: exact arithmetic on instants. -#}
{% macro epoch_microseconds(timestamp) -%}
    {{ return(adapter.dispatch('epoch_microseconds', 'product_analytics')(timestamp)) }}
{%- endmacro %}

{#- SQL standard extract(epoch ...) gives seconds as a numeric; exact for microsecond timestamps on engines with a decimal result. -#}
{% macro default__epoch_microseconds(timestamp) -%}
    cast(extract(epoch from {{ timestamp }}) * 1000000 as bigint)
{%- endmacro %}

{% macro duckdb__epoch_microseconds(timestamp) -%}
    epoch_us({{ timestamp }})
{%- endmacro %}

{% macro spark__epoch_microseconds(timestamp) -%}
    unix_micros({{ timestamp }})
{%- endmacro %}
