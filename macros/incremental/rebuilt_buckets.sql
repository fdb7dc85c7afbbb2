{#-
    The person-level incremental pattern (SPEC §9). int_person_changes names, for every
    bucket of persons (person_bucket), the last run whose data touched one of its persons:
    new or re-decided events, events re-keyed to or away from a person, persons deleted.
    A person-level model keeps `_run_seq` (the run that wrote each row) and, on an
    incremental run, rebuilds every bucket changed after its own latest run: its import
    CTEs keep only those buckets (in_rebuilt_buckets) and strategy `rebuild` replaces
    them. The set is computed in SQL when the model runs, so unit tests with
    is_incremental true cover it, and a model that missed runs catches up.
-#}

{#- The buckets a person-level model rebuilds on this run. -#}
{% macro rebuilt_buckets() -%}
    select changes._person_bucket
    from {{ ref('int_person_changes') }} as changes
    where changes._run_seq > (select coalesce(max(built._run_seq), 0) from {{ this }} as built)
{%- endmacro %}

{#- WHERE condition selecting the rows of the rebuilt buckets: on an incremental run, the buckets changed since the model's latest run (all of them after a run that deleted stored events); every row on a full build. -#}
{% macro in_rebuilt_buckets(bucket_column='_person_bucket') -%}
    {#- rendered on every build, so that dbt records the dependencies on the change log and the deletion runs -#}
    {%- set change_log = ref('int_person_changes') -%}
    {%- set rebuild_everything = product_analytics.stored_events_deleted_since_last_run() -%}
    {%- if is_incremental() -%}
        (
            {{ bucket_column }} in ({{ product_analytics.rebuilt_buckets() }})
            or {{ rebuild_everything }}
        )
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}
