{#- SPEC §2 event-name normalisation: split camelCase (a lowercase letter or digit followed by an uppercase letter), lowercase, turn every run of characters outside [a-z0-9] into _, trim _. Empty becomes null. -#}
{% macro normalize_event_name(text) -%}
    {{ return(adapter.dispatch('normalize_event_name', 'product_analytics')(text)) }}
{%- endmacro %}

{% macro default__normalize_event_name(text) -%}
    nullif(
        trim(
            both '_' from regexp_replace(
                {{ product_analytics.lower_text("regexp_replace(" ~ text ~ ", '([a-z0-9])([A-Z])', '\\1_\\2', 'g')") }},
                '[^a-z0-9]+', '_', 'g'
            )
        ),
        ''
    )
{%- endmacro %}

{% macro duckdb__normalize_event_name(text) -%}
    nullif(
        trim(
            regexp_replace(
                {{ product_analytics.lower_text("regexp_replace(" ~ text ~ ", '([a-z0-9])([A-Z])', '\\1_\\2', 'g')") }},
                '[^a-z0-9]+', '_', 'g'
            ),
            '_'
        ),
        ''
    )
{%- endmacro %}

{#- Java's replacement syntax names groups $1; regexp_replace replaces every match. -#}
{% macro spark__normalize_event_name(text) -%}
    nullif(
        trim(
            both '_' from regexp_replace(
                {{ product_analytics.lower_text("regexp_replace(" ~ text ~ ", '([a-z0-9])([A-Z])', '$1_$2')") }},
                '[^a-z0-9]+', '_'
            )
        ),
        ''
    )
{%- endmacro %}
