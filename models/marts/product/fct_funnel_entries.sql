{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        pre_hook="{{ delete_touched_persons() }}",
        post_hook="{{ refresh_funnel_window_complete() }}",
    )
}}

-- depends_on: {{ ref('int_person_changes') }}

{#-
    SPEC §7: one row per (funnel_name, person_id, entry_date): the counted attempt among
    the person's step-1 events of that local day. is_window_complete = entered_at + W < data
    end (latest occurred_at of any accepted event). Rebuilt per person on incremental runs;
    the data end moves with every run, so a post-hook updates the flag of other rows where
    it changed.
#}

with

counted_attempts as (

    select
        funnel_name,
        person_id,
        entry_date,
        furthest_step,
        started_at,
        converted_at,
        is_converted
    from {{ ref('int_funnel_attempts') }}
    where
        is_counted_in_entry_date
    {% if is_incremental() -%}
            and person_id in ({{ touched_persons() }})
        {%- endif %}

),

data_end as (

    select max(occurred_at) as data_end_at
    from {{ ref('int_events_stitched') }}

),

funnel_steps as (
    {{ funnel_step_rows() }}

),

funnel_windows as (

    select
        funnel_name,
        window_us
    from funnel_steps
    where step_number = 1

),

final as (

    select
        counted_attempts.funnel_name,
        counted_attempts.person_id,
        counted_attempts.entry_date,
        counted_attempts.furthest_step,
        counted_attempts.started_at as entered_at,
        counted_attempts.converted_at,
        counted_attempts.is_converted,
        cast(
            {{ epoch_microseconds('counted_attempts.converted_at') }}
            - {{ epoch_microseconds('counted_attempts.started_at') }}
            as double
        ) / 1000000 as seconds_to_convert,
        coalesce(
            {{ epoch_microseconds('counted_attempts.started_at') }} + funnel_windows.window_us
            < {{ epoch_microseconds('data_end.data_end_at') }},
            false
        ) as is_window_complete,
        {{ current_batch_seq() }} as _batch_seq
    from counted_attempts
    inner join funnel_windows
        on counted_attempts.funnel_name = funnel_windows.funnel_name
    cross join data_end

)

select * from final
