{{ config(**product_analytics.person_level(grain=['event_id'])) }}

{#-
    Activity events (SPEC §5) with their session. Per person, in (occurred_at, event_id)
    order, a gap longer than var `session_timeout_minutes` starts a new run (exactly the
    timeout continues); a run is cut every var `session_max_hours` from its start.
    session_id = md5(person_id || '|' || event_id of the session's first event).
    Rebuilt per person: an incremental run recomputes only the touched persons.
-#}

{%- set timeout_us = var('session_timeout_minutes') | int * 60 * 1000000 -%}
{%- set max_length_us = var('session_max_hours') | int * 3600 * 1000000 %}

with

activity_events as (

    select
        person_id,
        event_id,
        event_name,
        occurred_at,
        {{ epoch_microseconds('occurred_at') }} as occurred_us
    from {{ ref('int_events_stitched') }}
    where
        {{ is_activity_event() }}
        and {{ in_rebuilt_buckets() }}

),

gaps as (

    select
        *,
        occurred_us - lag(occurred_us) over (
            partition by person_id order by occurred_at, event_id
        ) as gap_us
    from activity_events

),

runs as (

    select
        *,
        sum(case when gap_us is null or gap_us > {{ timeout_us }} then 1 else 0 end) over (
            partition by person_id
            order by occurred_at, event_id
            rows between unbounded preceding and current row
        ) as run_number
    from gaps

),

pieces as (

    select
        *,
        floor(
            (occurred_us - min(occurred_us) over (partition by person_id, run_number))
            / {{ max_length_us }}
        ) as run_piece
    from runs

),

sessions_assigned as (

    select
        person_id,
        event_id,
        event_name,
        occurred_at,
        first_value(event_id) over (
            partition by person_id, run_number, run_piece
            order by occurred_at, event_id
            rows between unbounded preceding and unbounded following
        ) as session_first_event_id,
        row_number() over (
            partition by person_id, run_number, run_piece
            order by occurred_at, event_id
        ) as event_number_in_session
    from pieces

),

final as (

    select
        md5(person_id || '|' || session_first_event_id) as session_id,
        person_id,
        event_id,
        event_name,
        occurred_at,
        event_number_in_session,
        session_first_event_id,
        {{ person_bucket('person_id') }} as _person_bucket,
        cast({{ run_seq() }} as {{ dbt.type_bigint() }}) as _run_seq
    from sessions_assigned

)

select * from final
