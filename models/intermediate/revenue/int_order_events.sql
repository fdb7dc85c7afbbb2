{{ config(**product_analytics.person_level(grain=['event_id'])) }}

{#
    One row per accepted order event (SPEC §8: events named in var `order_events`), parsed:
    order key, amount, currency, local order date and the session holding the event.
    Per person (the event's person): an incremental run rewrites the touched persons' rows.
    Deduplication of orders tracked twice happens in int_orders, across persons.
-#}

with

events as (

    select
        event_id,
        person_id,
        occurred_at,
        event_name,
        properties,
        order_key
    from {{ ref('int_events_stitched') }}
    where {{ in_rebuilt_buckets() }}

),

order_events as (

    select * from events
    where {{ is_in_list('event_name', var('order_events')) }}

),

sessionized as (

    select
        event_id,
        session_id
    from {{ ref('int_events_sessionized') }}
    where {{ in_rebuilt_buckets() }}

),

events_parsed as (

    select
        event_id,
        person_id,
        occurred_at,
        coalesce(order_key, event_id) as order_id,
        coalesce(
            {{ upper_text(json_property_text('properties', 'currency')) }},
            '{{ var("reporting_currency") | trim | upper }}'
        ) as currency,
        coalesce(
            {{ json_number('properties', 'revenue') }},
            {{ json_number('properties', 'total') }},
            {{ json_number('properties', 'value') }}
        ) as amount
    from order_events

),

final as (

    select
        events_parsed.order_id,
        events_parsed.event_id,
        events_parsed.person_id,
        sessionized.session_id,
        events_parsed.occurred_at,
        {{ to_local_date('events_parsed.occurred_at') }} as order_date,
        events_parsed.currency,
        events_parsed.amount,
        {{ person_bucket('person_id') }} as _person_bucket,
        cast({{ run_seq() }} as {{ dbt.type_bigint() }}) as _run_seq
    from events_parsed
    left join sessionized
        on events_parsed.event_id = sessionized.event_id

)

select * from final
