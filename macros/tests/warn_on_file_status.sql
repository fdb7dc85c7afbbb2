{#-
    Warn-severity test of fct_ingestion_files: the files whose status is one of
    `statuses`. Besides the count dbt reports, the test names each file and why in the
    build's log, on every build until the file is fixed.
-#}
{% test files_with_status(model, statuses) %}
    {%- set offending -%}
        select
            file,
            status,
            detail
        from {{ model }}
        where status in ({{ product_analytics.string_list(statuses) }})
    {%- endset -%}
    {%- if execute -%}
        {%- set found = run_query(offending ~ ' order by file') -%}
        {%- for row in found.rows -%}
            {%- do exceptions.warn('event file ' ~ row['status'] ~ ': ' ~ row['file'] ~ ' (' ~ row['detail'] ~ ')') -%}
        {%- endfor -%}
    {%- endif -%}
    {{ offending }}
{% endtest %}
