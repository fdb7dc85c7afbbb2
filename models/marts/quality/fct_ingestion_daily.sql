{#-
    Data quality per event day: every landed line counted once, as accepted, duplicate
    or rejected (by reason), plus late arrivals and the share of events with a user_id.
    Built from stg_events and stg_events_rejected, so after deletion requests.
-#}

with

events as (

    select
        occurred_at,
        received_at,
        user_id,
        duplicate_count
    from {{ ref('stg_events') }}

),

rejected as (

    select
        reject_reason,
        occurred_at,
        received_at,
        file_modified_at
    from {{ ref('stg_events_rejected') }}

),

accepted_daily as (

    select
        cast(occurred_at as date) as event_date,
        count(*) as accepted_events,
        sum(duplicate_count) as duplicate_lines,
        sum(
            case
                when {{ epoch_microseconds('received_at') }} - {{ epoch_microseconds('occurred_at') }} > 3600000000
                    then 1
                else 0
            end
        ) as late_arrivals,
        sum(case when user_id is not null then 1 else 0 end) as events_with_user_id
    from events
    group by 1

),

rejected_daily as (

    {#- a rejected line without any timestamp is dated by its file's modification day -#}
    select
        coalesce(
            cast(occurred_at as date),
            cast(received_at as date),
            cast(file_modified_at as date)
        ) as event_date,
        count(*) as rejected_lines,
        {% for reason in ['invalid_json', 'unknown_type', 'missing_event_name', 'missing_identity',
                          'missing_timestamp', 'timestamp_out_of_range'] -%}
            sum(case when reject_reason = '{{ reason }}' then 1 else 0 end) as rejected_{{ reason }}
            {%- if not loop.last %},{% endif %}
        {% endfor %}
    from rejected
    group by 1

),

event_dates as (

    select event_date from accepted_daily
    union
    select event_date from rejected_daily

),

final as (

    select
        event_dates.event_date,
        cast(
            coalesce(accepted_daily.accepted_events, 0)
            + coalesce(accepted_daily.duplicate_lines, 0)
            + coalesce(rejected_daily.rejected_lines, 0) as bigint
        ) as lines,
        cast(coalesce(accepted_daily.accepted_events, 0) as bigint) as accepted_events,
        cast(coalesce(accepted_daily.duplicate_lines, 0) as bigint) as duplicate_lines,
        cast(coalesce(rejected_daily.rejected_lines, 0) as bigint) as rejected_lines,
        {% for reason in ['invalid_json', 'unknown_type', 'missing_event_name', 'missing_identity',
                          'missing_timestamp', 'timestamp_out_of_range'] -%}
            cast(coalesce(rejected_daily.rejected_{{ reason }}, 0) as bigint) as rejected_{{ reason }},
        {% endfor -%}
        cast(coalesce(accepted_daily.late_arrivals, 0) as bigint) as late_arrivals,
        case
            when accepted_daily.accepted_events > 0
                then cast(accepted_daily.events_with_user_id as double) / accepted_daily.accepted_events
        end as share_with_user_id
    from event_dates
    left join accepted_daily
        on event_dates.event_date = accepted_daily.event_date
    left join rejected_daily
        on event_dates.event_date = rejected_daily.event_date

)

select * from final
