{#-
    The person-level incremental pattern (SPEC §9). Every model keyed by person keeps
    `_batch_seq`, the change sequence it has processed. On an incremental run it
    recomputes exactly the persons logged in `int_person_changes` after that sequence
    (new events, re-keyed events, and the persons those events left), deleting their old
    rows first in a pre-hook. Models using it declare `-- depends_on: {{ ref('int_person_changes') }}`.
-#}

{#- The change sequence this model has processed, read once when the model is compiled (before its pre-hook deletes anything). -#}
{% macro person_watermark() -%}
    {%- if execute and is_incremental() -%}
        {%- set result = run_query('select coalesce(max(_batch_seq), 0) from ' ~ this) -%}
        {{- result.columns[0].values()[0] | int -}}
    {%- else -%}
        0
    {%- endif -%}
{%- endmacro %}

{#- Subquery of the persons to recompute on an incremental run. -#}
{% macro touched_persons() -%}
    select person_id
    from {{ ref('int_person_changes') }}
    where change_seq > {{ product_analytics.person_watermark() }}
{%- endmacro %}

{#- A where-clause restricting `person_column` to the touched persons on incremental runs (nothing on full builds). -#}
{% macro where_person_touched(person_column='person_id') -%}
    {%- if is_incremental() -%}
        where {{ person_column }} in ({{ product_analytics.touched_persons() }})
    {%- endif -%}
{%- endmacro %}

{#- Pre-hook: delete the touched persons' rows before their new rows are inserted. -#}
{% macro delete_touched_persons(person_column='person_id') -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where {{ person_column }} in ({{ product_analytics.touched_persons() }})
    {%- endif -%}
{%- endmacro %}

{#- The change sequence written on rows of this run. -#}
{% macro current_batch_seq() -%}
    (select coalesce(max(change_seq), 0) from {{ ref('int_person_changes') }})
{%- endmacro %}
