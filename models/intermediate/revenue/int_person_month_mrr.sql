{{ config(**product_analytics.person_level(grain=['person_id', 'month_start'])) }}

{#
    A person's MRR at the end of each local month in which it may change (SPEC §8): one
    row per person and month holding at least one of their int_subscription_events. The
    month-end MRR is that of the month's last event by (occurred_at, event_id); it holds
    until the person's next such month (valid_until_month, exclusive; null for the last
    one, whose value is the person's current MRR). previous_mrr is the MRR at the end of
    the month before (0 before the first event); was_positive_before tells whether the
    MRR was positive at any earlier month end. Per person: an incremental run rewrites
    the touched persons' rows.
-#}

with

subscription_events as (

    select
        event_id,
        person_id,
        occurred_at,
        event_date,
        mrr_after
    from {{ ref('int_subscription_events') }}
    where {{ in_rebuilt_buckets() }}

),

events_ranked as (

    select
        person_id,
        cast({{ dbt.date_trunc('month', 'event_date') }} as date) as month_start,
        mrr_after,
        row_number() over (
            partition by person_id, cast({{ dbt.date_trunc('month', 'event_date') }} as date)
            order by occurred_at desc, event_id desc
        ) as rank_from_month_end
    from subscription_events

),

month_end_values as (

    select
        person_id,
        month_start,
        mrr_after as mrr
    from events_ranked
    where rank_from_month_end = 1

),

final as (

    select
        person_id,
        month_start,
        lead(month_start) over (partition by person_id order by month_start) as valid_until_month,
        coalesce(lag(mrr) over (partition by person_id order by month_start), 0.0) as previous_mrr,
        mrr,
        coalesce(
            max(case when mrr > 0 then 1 else 0 end) over (
                partition by person_id
                order by month_start
                rows between unbounded preceding and 1 preceding
            ),
            0
        ) = 1 as was_positive_before,
        {{ person_bucket('person_id') }} as _person_bucket,
        cast({{ run_seq() }} as {{ dbt.type_bigint() }}) as _run_seq
    from month_end_values

)

select * from final
