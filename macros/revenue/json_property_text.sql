{#-
    SPEC §2: the text of the scalar `properties.<key>`: a string trimmed, a number or
    boolean as its JSON text; null, objects, arrays and empty text are absent (null).
-#}
{% macro json_property_text(json_text, key) -%}
    {{ return(adapter.dispatch('json_property_text', 'product_analytics')(json_text, key)) }}
{%- endmacro %}

{% macro duckdb__json_property_text(json_text, key) -%}
    {{ product_analytics.json_scalar_text("json_extract(" ~ json_text ~ ", '$.\"" ~ key ~ "\"')") }}
{%- endmacro %}

{% macro spark__json_property_text(json_text, key) -%}
    {#- get_json_object renders objects and arrays as JSON text: those are not scalars -#}
    case
        when not get_json_object({{ json_text }}, '$.{{ key }}') rlike '^[\\[{]'
            then {{ product_analytics.trim_text("get_json_object(" ~ json_text ~ ", '$." ~ key ~ "')") }}
    end
{%- endmacro %}
