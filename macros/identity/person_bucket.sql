{#-
    The bucket of a person (0 .. 16,777,215): the first six hex digits of its person_id (an
    md5; an id that does not start with hex digits, which the pipeline never makes but unit
    tests use for readable fixtures, falls in bucket 0). Incremental models rebuild whole buckets of persons (macros/incremental), so the
    change log names buckets, never persons: it keeps nothing of a deleted person.
-#}
{% macro person_bucket(person_id) -%}
    {{ return(adapter.dispatch('person_bucket', 'product_analytics')(person_id)) }}
{%- endmacro %}

{% macro default__person_bucket(person_id) -%}
    cast(('x' || substr({{ person_id }}, 1, 6))::bit(24) as integer)
{%- endmacro %}

{% macro duckdb__person_bucket(person_id) -%}
    coalesce(try_cast(('0x' || substr({{ person_id }}, 1, 6)) as integer), 0)
{%- endmacro %}

{% macro spark__person_bucket(person_id) -%}
    coalesce(cast(conv(substr({{ person_id }}, 1, 6), 16, 10) as int), 0)
{%- endmacro %}
