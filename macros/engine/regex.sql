{#-
    Regular expressions (RE2 on DuckDB, java.util.regex on Spark): keep patterns to the common
    subset (classes, alternation, counted repeats, non-capturing groups; no backreferences,
    lookaround or possessive quantifiers). A literal pattern is written as DuckDB reads it
    (backslashes as they are); the Spark versions make it survive Spark's string-literal
    unescaping. Java's `$` also matches before a final line break, so full matches anchor
    with \z, which both engines read as "end of text".
-#}

{#- True when `pattern` matches somewhere in `text`. -#}
{% macro regex_contains(text, pattern) -%}
    {{ return(adapter.dispatch('regex_contains', 'product_analytics')(text, pattern)) }}
{%- endmacro %}

{#- regexp_like: Oracle, MySQL, Snowflake, Trino, Databricks; the SQL standard's LIKE_REGEX is rarely implemented. -#}
{% macro default__regex_contains(text, pattern) -%}
    regexp_like({{ text }}, {{ pattern }})
{%- endmacro %}

{% macro duckdb__regex_contains(text, pattern) -%}
    regexp_matches({{ text }}, {{ pattern }})
{%- endmacro %}

{% macro spark__regex_contains(text, pattern) -%}
    ({{ text }} rlike {{ product_analytics.spark_regex_argument(pattern) }})
{%- endmacro %}

{#- True when `pattern` matches the whole of `text`. -#}
{% macro regex_full_match(text, pattern) -%}
    {{ return(adapter.dispatch('regex_full_match', 'product_analytics')(text, pattern)) }}
{%- endmacro %}

{% macro default__regex_full_match(text, pattern) -%}
    regexp_like({{ text }}, '^(?:' || {{ pattern }} || ')$')
{%- endmacro %}

{% macro duckdb__regex_full_match(text, pattern) -%}
    regexp_full_match({{ text }}, {{ pattern }})
{%- endmacro %}

{% macro spark__regex_full_match(text, pattern) -%}
    ({{ text }} rlike concat('^(?:', {{ product_analytics.spark_regex_argument(pattern) }}, ')\\z'))
{%- endmacro %}
