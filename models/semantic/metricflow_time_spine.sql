{#-
    The daily time spine of the semantic layer (MetricFlow joins it for cumulative metrics
    such as wau and mau): one row per day from var `min_event_date` (no accepted event is
    older) to a year after the build day, past any accepted event (var
    `max_future_skew_hours`). Portable: the series comes from the dispatched period_series.
#}

with

bounds as (

    select
        cast('{{ var("min_event_date") }}' as date) as first_day,
        {{ add_days('current_date', 366) }} as last_day

),

final as (

    select {{ period_series('day', 'first_day', 'last_day') }} as date_day
    from bounds

)

select * from final
