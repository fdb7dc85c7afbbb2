{#- Table function for a lateral join: one row per entry of a JSON object, with columns `key` (text), `value` (a JSON value: DuckDB's JSON type, JSON text on Spark) and `id` (grows with the entry's position: order by it, do not read it). On DuckDB no JSON path is built from the key, so keys such as "" or "*" are safe (see the Spark version's limits). -#}
{% macro json_object_entries(json_text) -%}
    {{ return(adapter.dispatch('json_object_entries', 'product_analytics')(json_text)) }}
{%- endmacro %}

{% macro default__json_object_entries(json_text) -%}
    {{ product_analytics.no_portable_default('json_object_entries') }}
{%- endmacro %}

{% macro duckdb__json_object_entries(json_text) -%}
    json_each({{ json_text }})
{%- endmacro %}

{#-
    A lateral subquery: json_object_keys lists the keys in order (repeated keys kept), each
    value is read by a bracket path (get_json_object gives SQL null for JSON null). Limits: a repeated key gets its first value every
    time, and keys that Spark's JSON path cannot spell ('', '*', or holding a quote or a
    backslash) get a null value.
-#}
{% macro spark__json_object_entries(json_text) -%}
    lateral (
        select
            object_keys.key,
            coalesce(
                get_json_object(
                    concat('[', {{ json_text }}, ']'),
                    concat('$[*][''', object_keys.key, ''']')
                ),
                'null'
            ) as value,
            object_keys.id
        from (select posexplode(json_object_keys({{ json_text }})) as (id, key)) as object_keys
    )
{%- endmacro %}

{#- The JSON type of a JSON text value: null, string, number, boolean, object or array. -#}
{% macro json_kind(json_value) -%}
    {{ return(adapter.dispatch('json_kind', 'product_analytics')(json_value)) }}
{%- endmacro %}

{% macro default__json_kind(json_value) -%}
    {{ product_analytics.no_portable_default('json_kind') }}
{%- endmacro %}

{% macro duckdb__json_kind(json_value) -%}
    case json_type({{ json_value }})
        when 'NULL' then 'null'
        when 'VARCHAR' then 'string'
        when 'BOOLEAN' then 'boolean'
        when 'OBJECT' then 'object'
        when 'ARRAY' then 'array'
        else 'number'
    end
{%- endmacro %}

{#- JSON text: read from its first character. Like DuckDB's version, SQL null gives 'number'. -#}
{% macro spark__json_kind(json_value) -%}
    case
        when {{ json_value }} = 'null' then 'null'
        when {{ json_value }} like '"%' then 'string'
        when {{ json_value }} in ('true', 'false') then 'boolean'
        when left({{ json_value }}, 1) = '{' then 'object'
        when left({{ json_value }}, 1) = '[' then 'array'
        else 'number'
    end
{%- endmacro %}

{#- A text value as a JSON string literal (escaped, UTF-8 kept). -#}
{% macro json_string_literal(text) -%}
    {{ return(adapter.dispatch('json_string_literal', 'product_analytics')(text)) }}
{%- endmacro %}

{% macro default__json_string_literal(text) -%}
    {{ product_analytics.no_portable_default('json_string_literal') }}
{%- endmacro %}

{% macro duckdb__json_string_literal(text) -%}
    to_json({{ text }})::varchar
{%- endmacro %}

{#- to_json of a one-element array, brackets cut off; null stays null, as on DuckDB. -#}
{% macro spark__json_string_literal(text) -%}
    case
        when {{ text }} is not null
            then substr(to_json(array({{ text }})), 2, length(to_json(array({{ text }}))) - 2)
    end
{%- endmacro %}

{#- The text of a JSON string value. -#}
{% macro json_string_value(json_value) -%}
    {{ return(adapter.dispatch('json_string_value', 'product_analytics')(json_value)) }}
{%- endmacro %}

{% macro default__json_string_value(json_value) -%}
    {{ product_analytics.no_portable_default('json_string_value') }}
{%- endmacro %}

{% macro duckdb__json_string_value(json_value) -%}
    json_extract_string({{ json_value }}, '$')
{%- endmacro %}

{#- A string unescaped; other values as their JSON text; JSON null as SQL null (as json_extract_string does). -#}
{% macro spark__json_string_value(json_value) -%}
    get_json_object(concat('[', {{ json_value }}, ']'), '$[0]')
{%- endmacro %}

{#- Aggregate: the text of a JSON object built from one row per entry, `key_text` (text, escaped here) and `value_json` (JSON text), entries ordered by `order_by_clause` (repeated keys are kept). -#}
{% macro json_object_from_entries(key_text, value_json, order_by_clause) -%}
    '{' || {{ product_analytics.ordered_listagg(
        product_analytics.json_string_literal(key_text) ~ " || ':' || " ~ value_json, "','", order_by_clause
    ) }} || '}'
{%- endmacro %}

{#- Aggregate: texts joined by `delimiter_text` in the order of `order_by_clause` ('order by ...'). -#}
{% macro ordered_listagg(measure, delimiter_text, order_by_clause) -%}
    {{ return(adapter.dispatch('ordered_listagg', 'product_analytics')(measure, delimiter_text, order_by_clause)) }}
{%- endmacro %}

{% macro default__ordered_listagg(measure, delimiter_text, order_by_clause) -%}
    {{ dbt.listagg(measure, delimiter_text, order_by_clause) }}
{%- endmacro %}

{% macro duckdb__ordered_listagg(measure, delimiter_text, order_by_clause) -%}
    {{ dbt.listagg(measure, delimiter_text, order_by_clause) }}
{%- endmacro %}

{#- dbt-spark's listagg drops the order (collect_list, with a warning); Spark 4 has the SQL standard's listagg ... within group. -#}
{% macro spark__ordered_listagg(measure, delimiter_text, order_by_clause) -%}
    listagg({{ measure }}, {{ delimiter_text }}) within group ({{ order_by_clause }})
{%- endmacro %}

{#- The JSON text of a value of json_extract_paths (an object or array as compact JSON). -#}
{% macro json_text(json_value) -%}
    {{ return(adapter.dispatch('json_text', 'product_analytics')(json_value)) }}
{%- endmacro %}

{% macro default__json_text(json_value) -%}
    cast({{ json_value }} as {{ dbt.type_string() }})
{%- endmacro %}

{% macro duckdb__json_text(json_value) -%}
    cast({{ json_value }} as varchar)
{%- endmacro %}

{#- Spark's values of json_extract_paths are JSON text already. -#}
{% macro spark__json_text(json_value) -%}
    {{ json_value }}
{%- endmacro %}
