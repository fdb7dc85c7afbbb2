{#-
    Path analysis (SPEC §10): one row per (from_event, to_event) step seen within
    sessions, over activity events in session order with consecutive repeats of a name
    collapsed, `$entry` before the first and `$exit` after the last: transitions (steps
    over all sessions) and persons (distinct persons with at least one such step).
-#}

with

session_transitions as (

    select
        person_id,
        from_event,
        to_event,
        transitions
    from {{ ref('int_session_transitions') }}

),

final as (

    select
        from_event,
        to_event,
        cast(sum(transitions) as bigint) as transitions,
        count(distinct person_id) as persons
    from session_transitions
    group by from_event, to_event

)

select * from final
