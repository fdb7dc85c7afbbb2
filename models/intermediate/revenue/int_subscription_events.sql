{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        pre_hook="{{ delete_touched_persons() }}",
    )
}}

-- depends_on: {{ ref('int_person_changes') }}

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
    {{ where_person_touched() }}

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
        {{ current_batch_seq() }} as _batch_seq
    from events_valued
    where mrr_after is not null

)

select * from final
