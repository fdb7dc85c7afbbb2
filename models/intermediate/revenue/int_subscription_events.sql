{{ config(**product_analytics.person_level(grain=['event_id'])) }}

{#
    One row per subscription event that sets a person's MRR (SPEC §8): events named in var
    `subscription_events` or `subscription_cancel_events`; cancel events set the MRR to 0
    (whatever their properties say), the others to their numeric `properties.mrr`
    (reporting currency) and are ignored without one. Per person: an incremental run
    rewrites the touched persons' rows.
-#}

{%- set subscription_names = var('subscription_events') | list + var('subscription_cancel_events') | list %}

with

events as (

    select
        event_id,
        event_name,
        person_id,
        occurred_at,
        properties
    from {{ ref('int_events_stitched') }}
    where {{ in_rebuilt_buckets() }}

),

subscription_events as (

    select * from events
    where {{ is_in_list('event_name', subscription_names) }}

),

events_valued as (

    select
        event_id,
        event_name,
        person_id,
        occurred_at,
        {{ is_in_list('event_name', var('subscription_cancel_events')) }} as is_cancel,
        case
            when {{ is_in_list('event_name', var('subscription_cancel_events')) }} then 0.0
            else {{ json_number('properties', 'mrr') }}
        end as mrr_after
    from subscription_events

),

final as (

    select
        event_id,
        event_name,
        person_id,
        occurred_at,
        {{ to_local_date('occurred_at') }} as event_date,
        is_cancel,
        mrr_after,
        {{ person_bucket('person_id') }} as _person_bucket,
        cast({{ run_seq() }} as {{ dbt.type_bigint() }}) as _run_seq
    from events_valued
    where mrr_after is not null

)

select * from final
