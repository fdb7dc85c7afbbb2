{{
    config(
        materialized='incremental',
        incremental_strategy='rebuild',
        unique_key='_person_bucket',
    )
}}

{#-
    The change log of persons (SPEC §9): one row per bucket of persons (person_bucket)
    with the last run that touched one of its persons: the buckets of the events
    int_events_stitched rewrote, and of the persons those events left. Person-level
    models rebuild the buckets changed after their own latest run (macros/incremental),
    so a model that missed runs catches up. It names buckets, never persons.
-#}

with

rewritten_events as (

    select
        _person_bucket,
        _previous_person_bucket
    from {{ ref('int_events_stitched') }}
    {% if is_incremental() -%}
        where _run_seq > (select coalesce(max(changes._run_seq), 0) from {{ this }} as changes)
    {%- endif %}

),

touched_buckets as (

    select _person_bucket from rewritten_events
    where _person_bucket is not null

    union

    select _previous_person_bucket as _person_bucket from rewritten_events
    where _previous_person_bucket is not null

),

final as (

    select
        _person_bucket,
        cast({{ run_seq() }} as {{ dbt.type_bigint() }}) as _run_seq
    from touched_buckets

)

select * from final
