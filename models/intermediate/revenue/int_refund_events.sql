{{ config(**product_analytics.person_level(grain=['event_id'])) }}

{#
    One row per accepted refund event that counts (SPEC §8): named in var `refund_events`,
    with a numeric amount (revenue, total, value, amount: the first numeric one) and an
    order key (order_id, orderId, transaction_id: no event_id fallback). Others are
    ignored. person_id is the refund event's own person; int_refunds moves the refund to
    its order's person when the order is known. Per person: an incremental run rewrites
    the touched persons' rows.
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

refund_events as (

    select * from events
    where {{ is_in_list('event_name', var('refund_events')) }}

),

events_parsed as (

    select
        event_id,
        person_id,
        occurred_at,
        order_key as order_id,
        {{ upper_text(json_property_text('properties', 'currency')) }} as currency,
        coalesce(
            {{ json_number('properties', 'revenue') }},
            {{ json_number('properties', 'total') }},
            {{ json_number('properties', 'value') }},
            {{ json_number('properties', 'amount') }}
        ) as amount
    from refund_events

),

final as (

    select
        event_id,
        order_id,
        person_id,
        occurred_at,
        {{ to_local_date('occurred_at') }} as refund_date,
        currency,
        amount,
        {{ person_bucket('person_id') }} as _person_bucket,
        cast({{ run_seq() }} as {{ dbt.type_bigint() }}) as _run_seq
    from events_parsed
    where
        order_id is not null
        and amount is not null

)

select * from final
