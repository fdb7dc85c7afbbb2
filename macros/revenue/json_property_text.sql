{#-
    SPEC §2: the text of the scalar `properties.<key>`: a string trimmed, a number or
    boolean as its JSON text; null, objects, arrays and empty text are absent (null).
-#}
{% macro json_property_text(json_text, key) -%}
    {{ return(adapter.dispatch('json_property_text', 'product_analytics')(json_text, key)) }}
{%- endmacro %}

{% macro default__json_property_text(json_text, key) -%}
    {{ product_analytics.no_portable_default('json_property_text') }}
{%- endmacro %}

{% macro duckdb__json_property_text(json_text, key) -%}
    {{ product_analytics.json_scalar_text("json_extract(" ~ json_text ~ ", '$.\"" ~ key ~ "\"')") }}
{%- endmacro %}

{#- The same path as spark__json_extract_paths (strings keep their quotes), so objects, arrays and strings that look like them are told apart. -#}
{% macro spark__json_property_text(json_text, key) -%}
    {{ product_analytics.json_scalar_text("get_json_object(concat('[', " ~ json_text ~ ", ']'), '$[*][''" ~ key ~ "'']')") }}
{%- endmacro %}
