{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='event_id',
    )
}}

{#-
    Accepted events, one row per event_id (SPEC §3): among accepted lines sharing an
    event_id the kept one has the earliest received_at (null last), then the smallest
    raw text in byte order (identical lines: the first by file and line number).
    Incremental runs re-decide only the event_ids seen in newly parsed lines, against
    every line ever landed with that id, so a late duplicate that wins replaces the row
    kept before; every re-decided row carries the run's `staged_seq`.
-#}

with

parsed_lines as (

    select * from {{ ref('base_events__parsed') }}
    where reject_reason is null

),

{% if is_incremental() -%}
changed_event_ids as (

    select distinct event_id
    from parsed_lines
    where load_seq > (select coalesce(max(parsed_through_load_seq), 0) from {{ this }})

),

candidate_lines as (

    select parsed_lines.*
    from parsed_lines
    inner join changed_event_ids
        on parsed_lines.event_id = changed_event_ids.event_id

),
{%- else -%}
    candidate_lines as (

        select * from parsed_lines

    ),
{%- endif %}

ranked as (

    select
        *,
        row_number() over (
            partition by event_id
            order by received_at asc nulls last, raw_line asc, file asc, line_number asc
        ) as line_rank,
        count(*) over (partition by event_id) as line_count
    from candidate_lines

),

final as (

    select
        event_id,
        event_type,
        event_name,
        user_id,
        anonymous_id,
        previous_id,
        occurred_at,
        received_at,
        client_session_id,
        page_url,
        page_path,
        referrer,
        referrer_host,
        page_title,
        utm_source,
        utm_medium,
        utm_campaign,
        utm_term,
        utm_content,
        user_agent,
        ip_truncated,
        locale,
        context_device_type,
        properties,
        traits,
        order_key,
        experiment_name,
        experiment_variant,
        line_count - 1 as duplicate_count,
        file,
        line_number,
        load_seq,
        {{ run_seq() }} as staged_seq,
        (select max(load_seq) from {{ ref('base_events__parsed') }}) as parsed_through_load_seq
    from ranked
    where line_rank = 1

)

select * from final
