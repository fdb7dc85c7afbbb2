{#- Parse SPEC §2 timestamps: YYYY-MM-DD[(T| )HH:MM[:SS[.fraction]]][Z|+HH:MM|+HHMM|+HH] into a UTC timestamp. Digits past microseconds are dropped; no offset means UTC; anything else (impossible dates, offsets past 23:59, years outside 1..9999 after the offset) is null. -#}
{% macro parse_event_timestamp(text) -%}
    {{ return(adapter.dispatch('parse_event_timestamp', 'product_analytics')(text)) }}
{%- endmacro %}

{#- The text is matched once; its parts are read from the resulting struct. -#}
{% macro duckdb__parse_event_timestamp(text) -%}
    {%- set pattern = "'^([0-9]{4}-[0-9]{2}-[0-9]{2})(?:[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:[.]([0-9]+))?)?)?(?:Z|([+-])([0-9]{2})(?::?([0-9]{2}))?)?$'" -%}
    {%- set parts = "regexp_extract(" ~ text ~ ", " ~ pattern ~ ", ['day', 'hour', 'minute', 'second', 'fraction', 'sign', 'offset_hours', 'offset_minutes'])" -%}
    {%- set instant -%}
    case
        when
            {{ parts }}.day != ''
            and coalesce(nullif({{ parts }}.offset_hours, ''), '00')::integer <= 23
            and coalesce(nullif({{ parts }}.offset_minutes, ''), '00')::integer <= 59
            then
                try_strptime(
                    {{ parts }}.day
                    || ' ' || coalesce(nullif({{ parts }}.hour, ''), '00')
                    || ':' || coalesce(nullif({{ parts }}.minute, ''), '00')
                    || ':' || coalesce(nullif({{ parts }}.second, ''), '00'),
                    '%Y-%m-%d %H:%M:%S'
                )
                + to_microseconds(rpad(left({{ parts }}.fraction, 6), 6, '0')::bigint)
                - to_minutes(
                    (case when {{ parts }}.sign = '-' then -1 else 1 end)
                    * (
                        coalesce(nullif({{ parts }}.offset_hours, ''), '0')::integer * 60
                        + coalesce(nullif({{ parts }}.offset_minutes, ''), '0')::integer
                    )
                )
    end
    {%- endset %}
    {#- years outside 1..9999 (after the offset) do not parse: no engine timestamp holds them -#}
    case when year({{ instant }}) between 1 and 9999 then {{ instant }} end
{%- endmacro %}
