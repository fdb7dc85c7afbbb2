{#- Pieces of URLs (SPEC §2). -#}

{#- Path of a url: what follows the host (or the whole text of a relative url) up to ? or #; `/` when empty. -#}
{% macro url_path(url) -%}
    {{ return(adapter.dispatch('url_path', 'product_analytics')(url)) }}
{%- endmacro %}

{% macro duckdb__url_path(url) -%}
    case
        when {{ url }} is not null then
            coalesce(
                nullif(
                    case
                        when regexp_matches({{ url }}, '^[A-Za-z][A-Za-z0-9+.-]*://')
                            then regexp_extract({{ url }}, '^[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*([^?#]*)', 1)
                        else regexp_extract({{ url }}, '^([^?#]*)', 1)
                    end,
                    ''
                ),
                '/'
            )
    end
{%- endmacro %}

{#- Lowercased host of a url with a scheme, without user info and port; null for urls without a scheme. -#}
{% macro url_host(url) -%}
    {{ return(adapter.dispatch('url_host', 'product_analytics')(url)) }}
{%- endmacro %}

{% macro duckdb__url_host(url) -%}
    nullif(
        lower(regexp_extract({{ url }}, '^[A-Za-z][A-Za-z0-9+.-]*://(?:[^/?#@]*@)?([^/?#:]*)', 1)),
        ''
    )
{%- endmacro %}

{#- First occurrence of a query-string parameter of a url, percent-decoded with + as a space, trimmed; empty is null. -#}
{% macro url_query_parameter(url, name) -%}
    {{ return(adapter.dispatch('url_query_parameter', 'product_analytics')(url, name)) }}
{%- endmacro %}

{% macro duckdb__url_query_parameter(url, name) -%}
    case
        when regexp_matches({{ url }}, '\?(?:[^#]*&)?{{ name }}=')
            then {{ product_analytics.trim_text(
                product_analytics.percent_decode(
                    "replace(regexp_extract(" ~ url ~ ", '\\?(?:[^#]*?&)??" ~ name ~ "=([^&#]*)', 1), '+', ' ')"
                )
            ) }}
    end
{%- endmacro %}

{#- Percent-decode text; escapes that do not form UTF-8 decode to U+FFFD instead of failing the build. -#}
{% macro percent_decode(text) -%}
    {{ return(adapter.dispatch('percent_decode', 'product_analytics')(text)) }}
{%- endmacro %}

{% macro duckdb__percent_decode(text) -%}
    coalesce(
        try(url_decode({{ text }})),
        url_decode(regexp_replace({{ text }}, '%[89A-Fa-f][0-9A-Fa-f]', '%EF%BF%BD', 'g'))
    )
{%- endmacro %}
