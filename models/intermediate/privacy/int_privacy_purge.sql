{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        post_hook=["{{ purge_deleted_persons() }}"],
    )
}}

{#-
    Applies deletion requests (SPEC §11). One row per build: how many landed raw lines it
    removed (`deleted` in the line reconciliation of SPEC §3). Its post-hook removes every
    row of the persons in `int_deletion_targets` from every table built before it (landed
    lines, parsed lines, staging, identity, and every person-level model), and rejected
    lines that hold a listed id as a JSON string. Identity is then resolved again over the
    remaining events, so every metric is as if those persons had never existed.
-#}

-- depends_on: {{ ref('base_events__parsed') }}, {{ ref('base_events__lines') }}, {{ ref('int_user_merges') }}, {{ ref('int_deleted_identifiers') }}

with

targets as (

    select
        identifier_type,
        identifier
    from {{ ref('int_deletion_targets') }}

),

events as (

    select
        user_id,
        anonymous_id,
        duplicate_count
    from {{ ref('stg_events') }}

),

rejected as (

    select raw_line from {{ ref('stg_events_rejected') }}

),

requests as (

    select
        user_id,
        anonymous_id
    from {{ ref('deletion_requests') }}

),

deleted_events as (

    select duplicate_count
    from events
    where {{ is_deleted_event('events.user_id', 'events.anonymous_id', 'targets') }}

),

deleted_rejected as (

    select raw_line
    from rejected
    where {{ mentions_deletion_request('rejected.raw_line', 'requests') }}

),

final as (

    select
        cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as timestamp) as purged_at,
        {{ run_seq() }} as purge_seq,
        (select max(load_seq) from {{ ref('base_events__lines') }}) as landed_through_load_seq,
        (select coalesce(sum(1 + duplicate_count), 0) from deleted_events)
        + (select count(*) from deleted_rejected) as deleted_lines

)

select * from final
