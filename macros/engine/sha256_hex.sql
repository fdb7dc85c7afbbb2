{#- SHA-256 of a text as lowercase hex. -#}
{% macro sha256_hex(text) -%}
    {{ return(adapter.dispatch('sha256_hex', 'product_analytics')(text)) }}
{%- endmacro %}

{#- SQL has no standard hash function. -#}
{% macro default__sha256_hex(text) -%}
    {{ product_analytics.no_portable_default('sha256_hex') }}
{%- endmacro %}

{#- Both hash the text's UTF-8 bytes. -#}
{% macro duckdb__sha256_hex(text) -%}
    sha256({{ text }})
{%- endmacro %}

{% macro spark__sha256_hex(text) -%}
    sha2({{ text }}, 256)
{%- endmacro %}

{#- The tombstone of a deleted identifier (SPEC §11): a SHA-256 token, never the identifier itself. -#}
{% macro identifier_tombstone(identifier_type, identifier) -%}
    {{ product_analytics.sha256_hex("'deleted:' || " ~ identifier_type ~ " || ':' || " ~ identifier) }}
{%- endmacro %}
