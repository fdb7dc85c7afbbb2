{#- Parse SPEC §2 timestamps: YYYY-MM-DD[(T| )HH:MM[:SS[.fraction]]][Z|+HH:MM|+HHMM|+HH] into a UTC timestamp. Digits past microseconds are dropped; no offset means UTC; anything else (impossible dates, offsets past 23:59) is null. Pass a column name: the text is read several times. -#}
{% macro parse_event_timestamp(text) -%}
    {{ return(adapter.dispatch('parse_event_timestamp', 'product_analytics')(text)) }}
{%- endmacro %}

{% macro duckdb__parse_event_timestamp(text) -%}
    {%- set pattern = "'^([0-9]{4}-[0-9]{2}-[0-9]{2})(?:[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:[.]([0-9]+))?)?)?(?:Z|([+-])([0-9]{2})(?::?([0-9]{2}))?)?$'" -%}
    case
        when
            regexp_full_match({{ text }}, {{ pattern }})
            and coalesce(nullif(regexp_extract({{ text }}, {{ pattern }}, 7), ''), '00')::integer <= 23
            and coalesce(nullif(regexp_extract({{ text }}, {{ pattern }}, 8), ''), '00')::integer <= 59
            then
                try_strptime(
                    regexp_extract({{ text }}, {{ pattern }}, 1)
                    || ' ' || coalesce(nullif(regexp_extract({{ text }}, {{ pattern }}, 2), ''), '00')
                    || ':' || coalesce(nullif(regexp_extract({{ text }}, {{ pattern }}, 3), ''), '00')
                    || ':' || coalesce(nullif(regexp_extract({{ text }}, {{ pattern }}, 4), ''), '00'),
                    '%Y-%m-%d %H:%M:%S'
                )
                + to_microseconds(
                    rpad(left(regexp_extract({{ text }}, {{ pattern }}, 5), 6), 6, '0')::bigint
                )
                - to_minutes(
                    (case when regexp_extract({{ text }}, {{ pattern }}, 6) = '-' then -1 else 1 end)
                    * (
                        coalesce(nullif(regexp_extract({{ text }}, {{ pattern }}, 7), ''), '0')::integer * 60
                        + coalesce(nullif(regexp_extract({{ text }}, {{ pattern }}, 8), ''), '0')::integer
                    )
                )
    end
{%- endmacro %}
