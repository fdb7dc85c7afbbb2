{#-
    One row per person and local month whose month-end MRR differs from the month
    before's (SPEC §8, ChartMogul's movements), from the first month with a subscription
    event to the last active month: `new` from 0 when never positive at an earlier month
    end, `reactivation` from 0 otherwise, `churn` to 0, else `expansion` or
    `contraction`. mrr_change = current_mrr - previous_mrr (signed). Months after the last
    active month are left out; without any activity event the table is empty.
-#}

with

person_months as (

    select
        person_id,
        month_start,
        previous_mrr,
        mrr,
        was_positive_before
    from {{ ref('int_person_month_mrr') }}

),

activity_events as (

    select occurred_at
    from {{ ref('int_events_sessionized') }}

),

last_active_month as (

    select cast({{ dbt.date_trunc('month', 'max(' ~ to_local_date('occurred_at') ~ ')') }} as date) as last_month
    from activity_events

),

changes as (

    select person_months.*
    from person_months
    inner join last_active_month
        on person_months.month_start <= last_active_month.last_month
    where person_months.mrr != person_months.previous_mrr

),

final as (

    select
        month_start,
        person_id,
        previous_mrr,
        mrr as current_mrr,
        case
            when previous_mrr = 0 and was_positive_before then 'reactivation'
            when previous_mrr = 0 then 'new'
            when mrr = 0 then 'churn'
            when mrr > previous_mrr then 'expansion'
            else 'contraction'
        end as movement,
        mrr - previous_mrr as mrr_change
    from changes

)

select * from final
