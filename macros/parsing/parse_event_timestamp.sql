{#- Parse SPEC §2 timestamps: YYYY-MM-DD[(T| )HH:MM[:SS[.fraction]]][Z|+HH:MM|+HHMM|+HH] into a UTC timestamp. Digits past microseconds are dropped; no offset means UTC; anything else (impossible dates, offsets past 23:59, years outside 1..9999 after the offset) is null. -#}
{% macro parse_event_timestamp(text) -%}
    {{ return(adapter.dispatch('parse_event_timestamp', 'product_analytics')(text)) }}
{%- endmacro %}

{#- Regular expressions and date parsing differ across engines. -#}
{% macro default__parse_event_timestamp(text) -%}
    {{ product_analytics.no_portable_default('parse_event_timestamp') }}
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

{#-
    Each part is its own regexp_extract (Java reads `$` as "end or before a final line
    break", hence \z). try_make_timestamp is null for impossible dates; it rolls a second of
    60 over into the next minute, so seconds are checked here. The result is a Spark
    TIMESTAMP in the session time zone, which the spark target pins to UTC.
-#}
{% macro spark__parse_event_timestamp(text) -%}
    {%- set pattern = "'^([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:[.]([0-9]+))?)?)?(?:Z|([+-])([0-9]{2})(?::?([0-9]{2}))?)?\\\\z'" -%}
    {%- set parts = [] -%}
    {%- for index in range(11) -%}
        {%- do parts.append("regexp_extract(" ~ text ~ ", " ~ pattern ~ ", " ~ index ~ ")") -%}
    {%- endfor -%}
    {%- set instant -%}
    case
        when
            {{ text }} rlike {{ pattern }}
            and cast(coalesce(nullif({{ parts[6] }}, ''), '00') as int) <= 59
            and cast(coalesce(nullif({{ parts[9] }}, ''), '00') as int) <= 23
            and cast(coalesce(nullif({{ parts[10] }}, ''), '00') as int) <= 59
            then timestamp_micros(
                unix_micros(
                    try_make_timestamp(
                        cast({{ parts[1] }} as int),
                        cast({{ parts[2] }} as int),
                        cast({{ parts[3] }} as int),
                        cast(coalesce(nullif({{ parts[4] }}, ''), '00') as int),
                        cast(coalesce(nullif({{ parts[5] }}, ''), '00') as int),
                        cast(coalesce(nullif({{ parts[6] }}, ''), '00') as int)
                    )
                )
                + cast(rpad(left({{ parts[7] }}, 6), 6, '0') as bigint)
                - (case when {{ parts[8] }} = '-' then -1 else 1 end)
                * (
                    cast(coalesce(nullif({{ parts[9] }}, ''), '0') as bigint) * 60
                    + cast(coalesce(nullif({{ parts[10] }}, ''), '0') as bigint)
                )
                * 60000000
            )
    end
    {%- endset %}
    case when year({{ instant }}) between 1 and 9999 then {{ instant }} end
{%- endmacro %}
