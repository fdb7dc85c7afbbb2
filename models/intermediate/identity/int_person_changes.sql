{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['person_id', 'change_seq'],
    )
}}

{#-
    Log of persons touched by each run (SPEC §9): the persons of rewritten events and
    the persons those events left. Person-level models recompute the persons logged
    after the sequence they last processed; the log is append-only, so a model that
    skipped runs catches up on every person it missed.
-#}

with

rewritten_events as (

    select
        person_id,
        previous_person_id,
        stitched_seq
    from {{ ref('int_events_stitched') }}
    {% if is_incremental() -%}
        where stitched_seq > (select coalesce(max(change_seq), 0) from {{ this }})
    {%- endif %}

),

touched as (

    select
        person_id,
        stitched_seq as change_seq
    from rewritten_events

    union

    select
        previous_person_id as person_id,
        stitched_seq as change_seq
    from rewritten_events
    where previous_person_id is not null

)

select * from touched
