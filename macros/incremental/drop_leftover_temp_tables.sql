{#- Post-hook of the Python incremental models: dbt-duckdb leaves their `<model>__dbt_tmp<time>` staging tables behind as real tables; drop them so no raw line outlives its run (SPEC §11). -#}
{% macro drop_leftover_temp_tables() -%}
    {%- if execute -%}
        {%- set leftovers = run_query(
            "select table_name from information_schema.tables where table_schema = '" ~ this.schema
            ~ "' and table_name like '" ~ this.identifier ~ "__dbt_tmp%'"
        ) -%}
        {%- for row in leftovers.rows -%}
            drop table if exists {{ this.schema }}."{{ row[0] }}";
        {% endfor -%}
    {%- endif -%}
{%- endmacro %}
