{#- Pieces of URLs (SPEC §2). -#}

{#- Path of a url: what follows the authority of a url with a scheme, up to ? or #; for a url without a scheme, its text before ? or # when that starts with /. `/` otherwise. -#}
{% macro url_path(url) -%}
    {{ return(adapter.dispatch('url_path', 'product_analytics')(url)) }}
{%- endmacro %}

{% macro default__url_path(url) -%}
    {{ product_analytics.no_portable_default('url_path') }}
{%- endmacro %}

{% macro duckdb__url_path(url) -%}
    case
        when {{ url }} is not null then
            coalesce(
                nullif(
                    case
                        when regexp_matches({{ url }}, '^[A-Za-z][A-Za-z0-9+.-]*://')
                            then regexp_extract({{ url }}, '^[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*([^?#]*)', 1)
                        else regexp_extract({{ url }}, '^(/[^?#]*)', 1)
                    end,
                    ''
                ),
                '/'
            )
    end
{%- endmacro %}

{% macro spark__url_path(url) -%}
    case
        when {{ url }} is not null then
            coalesce(
                nullif(
                    case
                        when {{ url }} rlike '^[A-Za-z][A-Za-z0-9+.-]*://'
                            then regexp_extract({{ url }}, '^[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*([^?#]*)', 1)
                        else regexp_extract({{ url }}, '^(/[^?#]*)', 1)
                    end,
                    ''
                ),
                '/'
            )
    end
{%- endmacro %}

{#- Lowercased host of a url with a scheme: user info (up to the last @) and port removed, an IPv6 literal kept in its brackets; null for urls without a scheme. -#}
{% macro url_host(url) -%}
    {{ return(adapter.dispatch('url_host', 'product_analytics')(url)) }}
{%- endmacro %}

{% macro default__url_host(url) -%}
    {{ product_analytics.no_portable_default('url_host') }}
{%- endmacro %}

{% macro duckdb__url_host(url) -%}
    nullif(
        lower(
            regexp_extract(
                regexp_replace(
                    regexp_extract({{ url }}, '^[A-Za-z][A-Za-z0-9+.-]*://([^/?#]*)', 1),
                    '^.*@',
                    ''
                ),
                '^(\[[^\]]*\]|[^:]*)',
                1
            )
        ),
        ''
    )
{%- endmacro %}

{#- lower() is the plain one: hosts are ASCII in practice, and DuckDB's version uses it too. -#}
{% macro spark__url_host(url) -%}
    nullif(
        lower(
            regexp_extract(
                regexp_replace(
                    regexp_extract({{ url }}, '^[A-Za-z][A-Za-z0-9+.-]*://([^/?#]*)', 1),
                    '^.*@',
                    ''
                ),
                '^(\\[[^\\]]*\\]|[^:]*)',
                1
            )
        ),
        ''
    )
{%- endmacro %}

{#- First occurrence of a query-string parameter of a url (the query runs from the first ? to #), percent-decoded with + as a space, trimmed; empty (or a bare key) is null. -#}
{% macro url_query_parameter(url, name) -%}
    {{ return(adapter.dispatch('url_query_parameter', 'product_analytics')(url, name)) }}
{%- endmacro %}

{% macro default__url_query_parameter(url, name) -%}
    {{ product_analytics.no_portable_default('url_query_parameter') }}
{%- endmacro %}

{% macro duckdb__url_query_parameter(url, name) -%}
    {{ product_analytics.trim_text(product_analytics.percent_decode(
        "replace(regexp_extract('&' || regexp_extract(" ~ url ~ ", '^[^?#]*[?]([^#]*)', 1), '&"
        ~ name ~ "(?:=([^&]*))?(?:&|$)', 1), '+', ' ')"
    )) }}
{%- endmacro %}

{#- Spark's regexp_extract gives '' for a group that took no part, as DuckDB's does. -#}
{% macro spark__url_query_parameter(url, name) -%}
    {{ product_analytics.trim_text(product_analytics.percent_decode(
        "replace(regexp_extract(concat('&', regexp_extract(" ~ url ~ ", '^[^?#]*[?]([^#]*)', 1)), '&"
        ~ name ~ "(?:=([^&]*))?(?:&|$)', 1), '+', ' ')"
    )) }}
{%- endmacro %}

{#-
    Percent-decode text. A valid UTF-8 sequence of escapes decodes to its character; each
    maximal part of an ill-formed sequence (a byte that cannot start a sequence, or a lead
    byte with the continuation bytes that may still follow it) decodes to one U+FFFD, as
    Python, browsers and Java do; a % not followed by two hex digits stays as it is.
-#}
{% macro percent_decode(text) -%}
    {{ return(adapter.dispatch('percent_decode', 'product_analytics')(text)) }}
{%- endmacro %}

{#- The escape grammar of a valid and of an ill-formed UTF-8 sequence, shared by the engine versions. -#}
{% macro percent_decode_patterns() -%}
    {%- set any_continuation = "%[89ABab][0-9A-Fa-f]" -%}
    {%- set valid_sequence = "%[0-7][0-9A-Fa-f]"
        ~ "|%[Cc][2-9A-Fa-f]" ~ any_continuation ~ "|%[Dd][0-9A-Fa-f]" ~ any_continuation
        ~ "|%[Ee]0%[ABab][0-9A-Fa-f]" ~ any_continuation
        ~ "|%[Ee][1-9A-Ca-cEFef]" ~ any_continuation ~ any_continuation
        ~ "|%[Ee][Dd]%[89][0-9A-Fa-f]" ~ any_continuation
        ~ "|%[Ff]0%[9ABab][0-9A-Fa-f]" ~ any_continuation ~ any_continuation
        ~ "|%[Ff][1-3]" ~ any_continuation ~ any_continuation ~ any_continuation
        ~ "|%[Ff]4%8[0-9A-Fa-f]" ~ any_continuation ~ any_continuation -%}
    {%- set ill_formed_part = "%[Cc][2-9A-Fa-f]|%[Dd][0-9A-Fa-f]"
        ~ "|%[Ee]0(?:%[ABab][0-9A-Fa-f])?"
        ~ "|%[Ee][1-9A-Ca-cEFef](?:" ~ any_continuation ~ ")?"
        ~ "|%[Ee][Dd](?:%[89][0-9A-Fa-f])?"
        ~ "|%[Ff]0(?:%[9ABab][0-9A-Fa-f](?:" ~ any_continuation ~ ")?)?"
        ~ "|%[Ff][1-3](?:" ~ any_continuation ~ "(?:" ~ any_continuation ~ ")?)?"
        ~ "|%[Ff]4(?:%8[0-9A-Fa-f](?:" ~ any_continuation ~ ")?)?"
        ~ "|%[89A-Fa-f][0-9A-Fa-f]" -%}
    {{ return({'valid_sequence': valid_sequence, 'ill_formed_part': ill_formed_part}) }}
{%- endmacro %}

{% macro default__percent_decode(text) -%}
    {{ product_analytics.no_portable_default('percent_decode') }}
{%- endmacro %}

{% macro duckdb__percent_decode(text) -%}
    {%- set any_continuation = "%[89ABab][0-9A-Fa-f]" -%}
    {%- set valid_sequence = "%[0-7][0-9A-Fa-f]"
        ~ "|%[Cc][2-9A-Fa-f]" ~ any_continuation ~ "|%[Dd][0-9A-Fa-f]" ~ any_continuation
        ~ "|%[Ee]0%[ABab][0-9A-Fa-f]" ~ any_continuation
        ~ "|%[Ee][1-9A-Ca-cEFef]" ~ any_continuation ~ any_continuation
        ~ "|%[Ee][Dd]%[89][0-9A-Fa-f]" ~ any_continuation
        ~ "|%[Ff]0%[9ABab][0-9A-Fa-f]" ~ any_continuation ~ any_continuation
        ~ "|%[Ff][1-3]" ~ any_continuation ~ any_continuation ~ any_continuation
        ~ "|%[Ff]4%8[0-9A-Fa-f]" ~ any_continuation ~ any_continuation -%}
    {%- set ill_formed_part = "%[Cc][2-9A-Fa-f]|%[Dd][0-9A-Fa-f]"
        ~ "|%[Ee]0(?:%[ABab][0-9A-Fa-f])?"
        ~ "|%[Ee][1-9A-Ca-cEFef](?:" ~ any_continuation ~ ")?"
        ~ "|%[Ee][Dd](?:%[89][0-9A-Fa-f])?"
        ~ "|%[Ff]0(?:%[9ABab][0-9A-Fa-f](?:" ~ any_continuation ~ ")?)?"
        ~ "|%[Ff][1-3](?:" ~ any_continuation ~ "(?:" ~ any_continuation ~ ")?)?"
        ~ "|%[Ff]4(?:%8[0-9A-Fa-f](?:" ~ any_continuation ~ ")?)?"
        ~ "|%[89A-Fa-f][0-9A-Fa-f]" -%}
    coalesce(
        try(url_decode({{ text }})),
        array_to_string(
            list_transform(
                regexp_extract_all(
                    {{ text }},
                    '(?:{{ valid_sequence }})+|{{ ill_formed_part }}|[^%]+|%'
                ),
                token -> case
                    when regexp_full_match(token, '(?:{{ valid_sequence }})+') then url_decode(token)
                    when regexp_full_match(token, '{{ ill_formed_part }}') then chr(65533)
                    else token
                end
            ),
            ''
        )
    )
{%- endmacro %}

{#-
    Java's URL decoder turns + into a space and replaces some ill-formed sequences
    differently from Python (one U+FFFD for an encoded surrogate, %ED%A0%80), so only runs
    of escapes that form valid UTF-8 go through url_decode; the rest is handled as on DuckDB
    (the \uFFFD literal is read by Spark's parser; its chr() is byte-sized).
-#}
{% macro spark__percent_decode(text) -%}
    {%- set patterns = product_analytics.percent_decode_patterns() -%}
    case
        when {{ text }} is not null then array_join(
            transform(
                regexp_extract_all(
                    {{ text }},
                    '(?:{{ patterns.valid_sequence }})+|{{ patterns.ill_formed_part }}|[^%]+|%',
                    0
                ),
                token -> case
                    when token rlike '^(?:{{ patterns.valid_sequence }})+\\z' then url_decode(token)
                    when token rlike '^(?:{{ patterns.ill_formed_part }})\\z' then '\uFFFD'
                    else token
                end
            ),
            ''
        )
    end
{%- endmacro %}
