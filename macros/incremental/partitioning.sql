{#-
    Storage config of an incremental model, for config(**...): on Spark, where tables
    cannot delete rows, its table is parquet partitioned by `partition_column`, so that a
    run rewrites whole partitions (strategy `rebuild`); DuckDB needs none.
-#}
{% macro partitioning(partition_column) -%}
    {{ return(adapter.dispatch('partitioning', 'product_analytics')(partition_column)) }}
{%- endmacro %}

{% macro default__partitioning(partition_column) -%}
    {{ return({}) }}
{%- endmacro %}

{% macro duckdb__partitioning(partition_column) -%}
    {{ return({}) }}
{%- endmacro %}

{% macro spark__partitioning(partition_column) -%}
    {{ return({'file_format': 'parquet', 'partition_by': [partition_column]}) }}
{%- endmacro %}
