{#-
    The bucket of a person (0 .. 16,777,215): the first six hex digits of its person_id (an
    md5). Incremental models rebuild whole buckets of persons (macros/incremental), so the
    change log names buckets, never persons: it keeps nothing of a deleted person.
-#}
{% macro person_bucket(person_id) -%}
    {{ return(adapter.dispatch('person_bucket', 'product_analytics')(person_id)) }}
{%- endmacro %}

{% macro default__person_bucket(person_id) -%}
    cast(('x' || substr({{ person_id }}, 1, 6))::bit(24) as integer)
{%- endmacro %}

{% macro duckdb__person_bucket(person_id) -%}
    cast(('0x' || substr({{ person_id }}, 1, 6)) as integer)
{%- endmacro %}

{% macro spark__person_bucket(person_id) -%}
    cast(conv(substr({{ person_id }}, 1, 6), 16, 10) as int)
{%- endmacro %}
