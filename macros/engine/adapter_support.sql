{#- Helpers for dispatched macros: a clear error where no portable SQL exists, and Spark string literals. -#}

{#- Raise at compile time: `macro_name` has no portable default; name the adapters that have it. -#}
{% macro no_portable_default(macro_name, adapters='duckdb, spark') -%}
    {{ exceptions.raise_compiler_error(
        "product_analytics." ~ macro_name ~ " has no portable SQL form and no version for the adapter '"
        ~ adapter.type() ~ "'; supported adapters: " ~ adapters
        ~ ". Add a " ~ adapter.type() ~ "__" ~ macro_name ~ " macro."
    ) }}
{%- endmacro %}

{#-
    Spark SQL's parser unescapes backslashes in string literals ('\s' reads as 's', '\t' as a
    tab), DuckDB's does not. Patterns written as DuckDB reads them (one backslash) go through
    this before they are put between quotes in Spark SQL, so both engines see the same regex.
-#}
{% macro spark_escape(text) -%}
    {{- text | replace('\\', '\\\\') -}}
{%- endmacro %}

{#- A SQL expression that may be a string literal written for DuckDB: a literal is made Spark-safe, anything else is left alone. -#}
{% macro spark_regex_argument(expression) -%}
    {%- if expression is string and expression.strip().startswith("'") -%}
        {{- product_analytics.spark_escape(expression) -}}
    {%- else -%}
        {{- expression -}}
    {%- endif -%}
{%- endmacro %}

{#-
    The materialization of a view whose SQL is very long (base_events__parsed): a view
    where the engine can store its text; on Spark a table, since the Hive metastore keeps
    a view's text in a column of 32,700 characters.
-#}
{% macro long_view_materialization() -%}
    {{ return(adapter.dispatch('long_view_materialization', 'product_analytics')()) }}
{%- endmacro %}

{% macro default__long_view_materialization() -%}
    {{ return('view') }}
{%- endmacro %}

{% macro duckdb__long_view_materialization() -%}
    {{ return('view') }}
{%- endmacro %}

{% macro spark__long_view_materialization() -%}
    {{ return('table') }}
{%- endmacro %}
