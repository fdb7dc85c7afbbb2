{#-
    Incremental strategy `rebuild` (SPEC §9), the one strategy of every incremental model:
    the rows of the model's SQL replace, in the target table, every row of the units they
    rebuild. A unit is one value of `unique_key` (key models: base_events__ledger,
    int_identity_map, int_events_stitched...), or, for a person-level model (meta
    `rebuild: persons`, macro person_level), one bucket of persons: every bucket named by
    int_person_changes since the model last ran (in_rebuilt_buckets), whether or not the
    new rows hold one of its persons, so that persons who left a bucket or were deleted
    leave no row behind. A key model with meta `removes_keys` drops a key by returning it
    with `_is_removed` true.

    dbt runs the strategy inside the model's transaction, after the model's rows are in a
    temporary table: a build killed at any point leaves each table as it was before its
    model ran or as it is after. DuckDB deletes and inserts; Spark, which cannot delete
    rows without Delta or Iceberg, overwrites the partitions holding those units.
-#}
{% macro get_incremental_rebuild_sql(arg_dict) -%}
    {{ return(adapter.dispatch('rebuild_sql', 'product_analytics')(arg_dict)) }}
{%- endmacro %}

{#- The SQL boolean that selects, among `relation`'s rows (alias `alias`), the units the new rows in `new_rows` rebuild. -#}
{% macro rebuilt_units(alias, new_rows) -%}
    {%- if (config.get('meta') or {}).get('rebuild') == 'persons' -%}
        (
            {{ product_analytics.in_rebuilt_buckets(alias ~ '._person_bucket') }}
            or {{ alias }}._person_bucket in (select new_rows._person_bucket from {{ new_rows }} as new_rows)
        )
    {%- else -%}
        {%- set keys = config.get('unique_key') -%}
        {%- set keys = [keys] if keys is string else keys -%}
        exists (
            select 1
            from {{ new_rows }} as new_rows
            where
                {%- for key in keys %}
                    new_rows.{{ key }} = {{ alias }}.{{ key }}{% if not loop.last %} and{% endif %}
                {%- endfor %}
        )
    {%- endif -%}
{%- endmacro %}

{#- The new rows to insert: all of them, but a key returned with `_is_removed` only deletes. -#}
{% macro rows_to_insert(new_rows, columns) -%}
    select {{ columns | join(', ') }}
    from {{ new_rows }}
    {%- if (config.get('meta') or {}).get('removes_keys') %}
        where not _is_removed
    {%- endif %}
{%- endmacro %}

{% macro default__rebuild_sql(arg_dict) -%}
    {%- set target = arg_dict['target_relation'] -%}
    {%- set new_rows = arg_dict['temp_relation'] -%}
    {%- set columns = arg_dict['dest_columns'] | map(attribute='quoted') | list -%}
    delete from {{ target }}
    where {{ product_analytics.rebuilt_units(target, new_rows) }};

    insert into {{ target }} ({{ columns | join(', ') }})
    {{ product_analytics.rows_to_insert(new_rows, columns) }}
{%- endmacro %}

{% macro duckdb__rebuild_sql(arg_dict) -%}
    {{ return(product_analytics.default__rebuild_sql(arg_dict)) }}
{%- endmacro %}

{#-
    Spark, on plain parquet tables (no row deletes): the model's rows are first written to
    a table of their own (<model>__rebuild_new; the temporary view dbt gives reads the
    target itself), then the rows of every partition they touch (a partition holding a
    rebuilt unit, or one of the new rows) are written to <model>__rebuild_stage: the new
    rows plus the target's rows of those partitions that are not rebuilt. Partitions left
    with no row are dropped, and the staged rows overwrite their partitions (dynamic
    partition overwrite). A table without partition_by is staged and overwritten whole.
    Not atomic: a build killed between the drop and the overwrite needs a full refresh.
    Both helper tables stay until the model's next incremental run.
-#}
{% macro spark__rebuild_sql(arg_dict) -%}
    {%- set target = arg_dict['target_relation'] -%}
    {%- set columns = arg_dict['dest_columns'] | map(attribute='quoted') | list -%}
    {%- set partition_by = config.get('partition_by') or [] -%}
    {%- set partition_by = [partition_by] if partition_by is string else partition_by -%}
    {%- set new_rows = target.incorporate(path={'identifier': target.identifier ~ '__rebuild_new'}) -%}
    {%- set stage = target.incorporate(path={'identifier': target.identifier ~ '__rebuild_stage'}) -%}
    {%- if execute -%}
        {%- do run_query('drop table if exists ' ~ new_rows) -%}
        {%- do run_query('create table ' ~ new_rows ~ ' using parquet as select * from ' ~ arg_dict['temp_relation']) -%}
        {%- set kept_rows -%}
            select {{ columns | join(', ') }}
            from {{ target }} as target_rows
            where
                not {{ product_analytics.rebuilt_units('target_rows', new_rows) }}
                {%- if partition_by %}
                    and (
                        {%- for column in partition_by %}
                            {{ 'or ' if not loop.first }}target_rows.{{ column }} in (select new_rows.{{ column }} from {{ new_rows }} as new_rows)
                        {%- endfor %}
                        or ({{ partition_by | join(', ') }}) in (
                            select {% for column in partition_by %}rebuilt_rows.{{ column }}{{ ', ' if not loop.last }}{% endfor %}
                            from {{ target }} as rebuilt_rows
                            where {{ product_analytics.rebuilt_units('rebuilt_rows', new_rows) }}
                        )
                    )
                {%- endif %}
        {%- endset -%}
        {%- do run_query('drop table if exists ' ~ stage) -%}
        {%- do run_query(
            'create table ' ~ stage ~ ' using parquet as '
            ~ product_analytics.rows_to_insert(new_rows, columns) ~ ' union all ' ~ kept_rows
        ) -%}
        {%- if partition_by -%}
            {%- set emptied_partitions -%}
                select distinct {% for column in partition_by %}rebuilt_rows.{{ column }}{{ ', ' if not loop.last }}{% endfor %}
                from {{ target }} as rebuilt_rows
                where
                    {{ product_analytics.rebuilt_units('rebuilt_rows', new_rows) }}
                    and ({{ partition_by | join(', ') }}) not in (
                        select {{ partition_by | join(', ') }} from {{ stage }}
                    )
            {%- endset -%}
            {%- for partition in run_query(emptied_partitions).rows -%}
                {%- set values = [] -%}
                {%- for column in partition_by -%}
                    {%- set value = partition[loop.index0] -%}
                    {%- do values.append(column ~ ' = ' ~ ("'" ~ (value | replace("'", "\\'")) ~ "'" if value is string else value)) -%}
                {%- endfor -%}
                {%- do run_query('alter table ' ~ target ~ ' drop if exists partition (' ~ values | join(', ') ~ ')') -%}
            {%- endfor -%}
            {%- do run_query('set spark.sql.sources.partitionOverwriteMode = DYNAMIC') -%}
        {%- endif -%}
    {%- endif %}
    insert overwrite table {{ target }}
    {%- if partition_by %} partition ({{ partition_by | join(', ') }}){% endif %}
    select {{ columns | join(', ') }} from {{ stage }}
{%- endmacro %}
