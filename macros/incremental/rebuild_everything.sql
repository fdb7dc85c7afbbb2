{#-
    SQL boolean: a run that deleted lines landed earlier ran after this model's latest run
    (stg_events_deletion_runs). Which persons lost rows is kept nowhere, so the model
    rebuilds whole: every bucket, and every event. False on a full build.
-#}
{% macro stored_events_deleted_since_last_run() -%}
    {#- called on every build, so that dbt records the dependency -#}
    {%- set deletion_runs = ref('stg_events_deletion_runs') -%}
    {%- if is_incremental() -%}
        exists (
            select 1
            from {{ deletion_runs }} as deletion_runs
            where deletion_runs._run_seq > (select coalesce(max(built._run_seq), 0) from {{ this }} as built)
        )
    {%- else -%}
        false
    {%- endif -%}
{%- endmacro %}
