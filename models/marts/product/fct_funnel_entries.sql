{{ config(materialized='view') }}

{#-
    SPEC §7: one row per (funnel_name, person_id, entry_date): the counted attempt among
    the person's step-1 events of that local day. is_window_complete = entered_at + W < data
    end (latest occurred_at of any accepted event). A view over the person-level
    int_funnel_attempts: the data end moves with every run, so the flag is computed when
    the view is read.
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
    where is_counted_in_entry_date

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
        ) as is_window_complete
    from counted_attempts
    inner join funnel_windows
        on counted_attempts.funnel_name = funnel_windows.funnel_name
    cross join data_end

)

select * from final
