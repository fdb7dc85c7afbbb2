{#-
    dbt-spark's incremental materialization knows only its own strategies: these two
    macros of dbt-spark are overridden so that it accepts strategy `rebuild` (SPEC §9) and
    runs it with get_incremental_rebuild_sql (spark__rebuild_sql). Every other strategy
    is handled as dbt-spark does (append, insert_overwrite; merge needs Delta or Iceberg).
-#}
{% macro dbt_spark_validate_get_incremental_strategy(raw_strategy, file_format) -%}
    {%- if raw_strategy == 'rebuild' -%}
        {%- do return(raw_strategy) -%}
    {%- endif -%}
    {%- if raw_strategy not in ['append', 'insert_overwrite'] -%}
        {%- do exceptions.raise_compiler_error(
            "Invalid incremental strategy provided: " ~ raw_strategy
            ~ ". On Spark over parquet this project supports 'rebuild', 'append' and 'insert_overwrite'"
        ) -%}
    {%- endif -%}
    {%- do return(raw_strategy) -%}
{%- endmacro %}

{% macro dbt_spark_get_incremental_sql(strategy, source, target, existing, unique_key, incremental_predicates) -%}
    {%- if strategy == 'rebuild' -%}
        {{ product_analytics.get_incremental_rebuild_sql({
            'target_relation': target,
            'temp_relation': source,
            'unique_key': unique_key,
            'dest_columns': adapter.get_columns_in_relation(target),
            'incremental_predicates': incremental_predicates,
        }) }}
    {%- elif strategy == 'append' -%}
        {{ get_insert_into_sql(source, target) }}
    {%- else -%}
        {{ get_insert_overwrite_sql(source, target, existing) }}
    {%- endif -%}
{%- endmacro %}
