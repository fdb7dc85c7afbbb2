{{ config(**product_analytics.person_level(grain=['funnel_name', 'start_event_id', 'step_number'])) }}

{#-
    SPEC §7: one row per funnel attempt and reached step. An attempt starts at every
    step-1 event s of a person; each next step takes, among the person's events matching it
    with occurred_at >= the previous step's occurred_at and not already used by this
    attempt, the earliest by (occurred_at, event_id), as long as occurred_at - s.occurred_at
    <= W (exact, in microseconds). "Not used" matters for repeated steps (A -> A) and equal
    timestamps: an event chosen for an earlier step is excluded by its event_id.
    The step search is unrolled over step numbers at compile time (as many steps as the
    longest funnel of var `funnels`) rather than a recursive CTE, which Spark lacks.
    Rebuilt per person: an incremental run recomputes only the touched persons.
#}

{%- set max_steps = funnel_max_steps() | int %}

with

funnel_steps as (
    {{ funnel_step_rows() }}

),

events as (

    select
        person_id,
        event_id,
        event_name,
        occurred_at,
        {{ epoch_microseconds('occurred_at') }} as occurred_us
    from {{ ref('int_events_stitched') }}
    where
        {{ is_in_list('event_name', funnel_step_events()) }}
        and {{ in_rebuilt_buckets() }}

),

step_events as (

    select
        funnel_steps.funnel_name,
        funnel_steps.step_number,
        funnel_steps.window_us,
        events.person_id,
        events.event_id,
        events.occurred_at,
        events.occurred_us
    from events
    inner join funnel_steps
        on events.event_name = funnel_steps.step_event

),

attempts_at_step_1 as (

    select
        funnel_name,
        person_id,
        event_id as start_event_id,
        occurred_us as start_us,
        window_us,
        event_id as step_1_event_id,
        occurred_at as step_1_at,
        occurred_us as step_1_us
    from step_events
    where step_number = 1

),

{%- for step in range(2, max_steps + 1) %}

    step_{{ step }}_candidates as (

        select
            attempts.funnel_name,
            attempts.start_event_id,
            step_events.event_id,
            step_events.occurred_at,
            step_events.occurred_us,
            row_number() over (
                partition by attempts.funnel_name, attempts.start_event_id
                order by step_events.occurred_at, step_events.event_id
            ) as candidate_rank
        from attempts_at_step_{{ step - 1 }} as attempts
        inner join step_events
            on
                attempts.funnel_name = step_events.funnel_name
                and attempts.person_id = step_events.person_id
                and step_events.step_number = {{ step }}
                and step_events.occurred_us >= attempts.step_{{ step - 1 }}_us
                and step_events.occurred_us - attempts.start_us <= attempts.window_us
                {%- for used in range(1, step) %}
                    and step_events.event_id <> attempts.step_{{ used }}_event_id
                {%- endfor %}

    ),

    attempts_at_step_{{ step }} as (

        select
            attempts.*,
            candidates.event_id as step_{{ step }}_event_id,
            candidates.occurred_at as step_{{ step }}_at,
            candidates.occurred_us as step_{{ step }}_us
        from attempts_at_step_{{ step - 1 }} as attempts
        left join step_{{ step }}_candidates as candidates
            on
                attempts.funnel_name = candidates.funnel_name
                and attempts.start_event_id = candidates.start_event_id
                and candidates.candidate_rank = 1

    ),
{%- endfor %}

reached_steps as (

    {%- for step in range(1, max_steps + 1) %}

        select
            funnel_name,
            person_id,
            start_event_id,
            {{ step }} as step_number,
            step_{{ step }}_event_id as event_id,
            step_{{ step }}_at as occurred_at,
            {%- if step == 1 %}
                cast(null as bigint) as microseconds_from_previous
            {%- else %}
                step_{{ step }}_us - step_{{ step - 1 }}_us as microseconds_from_previous
            {%- endif %}
        from attempts_at_step_{{ max_steps }}
        where step_{{ step }}_event_id is not null
        {%- if not loop.last %}

            union all
        {%- endif %}
    {%- endfor %}

),

final as (

    select
        funnel_name,
        person_id,
        start_event_id,
        cast(step_number as integer) as step_number,
        event_id,
        occurred_at,
        cast(microseconds_from_previous as bigint) as microseconds_from_previous,
        {{ person_bucket('person_id') }} as _person_bucket,
        cast({{ run_seq() }} as {{ dbt.type_bigint() }}) as _run_seq
    from reached_steps

)

select * from final
