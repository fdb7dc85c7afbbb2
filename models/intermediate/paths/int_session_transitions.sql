{{ config(**product_analytics.person_level(grain=['session_id', 'from_event', 'to_event'])) }}

{#
    Event-to-event steps within each session (SPEC §10): activity events in session
    order, consecutive repeats of a name collapsed into one, `$entry` before the first
    and `$exit` after the last. One row per session and (from_event, to_event) with the
    number of such steps. Per person: an incremental run rewrites the touched persons'
    rows.
-#}

with

session_events as (

    select
        session_id,
        person_id,
        event_name,
        event_number_in_session
    from {{ ref('int_events_sessionized') }}
    where {{ in_rebuilt_buckets() }}

),

events_with_previous as (

    select
        *,
        lag(event_name) over (
            partition by session_id order by event_number_in_session
        ) as previous_event_name
    from session_events

),

collapsed as (

    {#- a repeat of the previous event's name continues the same step -#}
    select
        session_id,
        person_id,
        event_name,
        event_number_in_session
    from events_with_previous
    where previous_event_name is null or previous_event_name != event_name

),

collapsed_ordered as (

    select
        *,
        lag(event_name) over (
            partition by session_id order by event_number_in_session
        ) as previous_step_name,
        row_number() over (
            partition by session_id order by event_number_in_session desc
        ) as rank_from_end
    from collapsed

),

steps as (

    select
        session_id,
        person_id,
        coalesce(previous_step_name, '$entry') as from_event,
        event_name as to_event
    from collapsed_ordered

    union all

    select
        session_id,
        person_id,
        event_name as from_event,
        '$exit' as to_event
    from collapsed_ordered
    where rank_from_end = 1

),

final as (

    select
        session_id,
        person_id,
        from_event,
        to_event,
        count(*) as transitions,
        {{ person_bucket('person_id') }} as _person_bucket,
        cast({{ run_seq() }} as {{ dbt.type_bigint() }}) as _run_seq
    from steps
    group by session_id, person_id, from_event, to_event

)

select * from final
