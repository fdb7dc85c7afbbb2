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

kept_lines as (

    select * from ranked
    where line_rank = 1

),

protected_traits as (

    {#-
        SPEC §11: email-like top-level trait values are stored hashed from here on.
        Only objects holding an '@' are rebuilt (entries in their original order,
        repeated keys kept); every other traits object passes through as it came.
    -#}
    select
        kept_lines.event_id,
        {{ json_object_from_entries(
            'trait_entries.key',
            protect_email_trait('trait_entries.value'),
            'order by trait_entries.id'
        ) }} as traits
    from kept_lines
    cross join {{ json_object_entries('kept_lines.traits') }} as trait_entries
    where kept_lines.traits like '%@%'
    group by kept_lines.event_id

),

final as (

    select
        kept_lines.event_id,
        kept_lines.event_type,
        kept_lines.event_name,
        kept_lines.user_id,
        kept_lines.anonymous_id,
        kept_lines.previous_id,
        kept_lines.occurred_at,
        kept_lines.received_at,
        kept_lines.client_session_id,
        kept_lines.page_url,
        kept_lines.page_path,
        kept_lines.referrer,
        kept_lines.referrer_host,
        kept_lines.page_title,
        kept_lines.utm_source,
        kept_lines.utm_medium,
        kept_lines.utm_campaign,
        kept_lines.utm_term,
        kept_lines.utm_content,
        kept_lines.user_agent,
        kept_lines.ip_truncated,
        kept_lines.locale,
        kept_lines.context_device_type,
        kept_lines.properties,
        coalesce(protected_traits.traits, kept_lines.traits) as traits,
        kept_lines.order_key,
        kept_lines.experiment_name,
        kept_lines.experiment_variant,
        kept_lines.line_count - 1 as duplicate_count,
        kept_lines.file,
        kept_lines.line_number,
        kept_lines.load_seq,
        {{ run_seq() }} as staged_seq,
        (select max(load_seq) from {{ ref('base_events__parsed') }}) as parsed_through_load_seq
    from kept_lines
    left join protected_traits
        on kept_lines.event_id = protected_traits.event_id

)

select * from final
