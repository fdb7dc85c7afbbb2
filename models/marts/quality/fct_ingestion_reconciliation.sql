{#-
    The line reconciliation of SPEC §3 and §11, one row per metric: raw lines landed =
    accepted + duplicates + rejected + deleted, with the rejected lines split by reason.
-#}

with

landed as (

    select count(*) as remaining_lines from {{ ref('base_events__lines') }}

),

accepted as (

    select
        count(*) as accepted_events,
        coalesce(sum(duplicate_count), 0) as duplicate_lines
    from {{ ref('stg_events') }}

),

rejected as (

    select
        reject_reason,
        count(*) as rejected_lines
    from {{ ref('stg_events_rejected') }}
    group by reject_reason

),

purges as (

    select coalesce(sum(deleted_lines), 0) as deleted_lines from {{ ref('int_privacy_purge') }}

),

metrics as (

    select
        'raw_lines' as metric,
        (select remaining_lines from landed) + (select deleted_lines from purges) as value
    union all
    select
        'accepted' as metric,
        (select accepted_events from accepted) as value
    union all
    select
        'duplicates' as metric,
        (select duplicate_lines from accepted) as value
    union all
    select
        'rejected' as metric,
        (select coalesce(sum(rejected_lines), 0) from rejected) as value
    union all
    select
        'deleted' as metric,
        (select deleted_lines from purges) as value
    {% for reason in ['invalid_json', 'unknown_type', 'missing_event_name', 'missing_identity',
                      'missing_timestamp', 'timestamp_out_of_range'] -%}
        union all
        select
            'rejected_{{ reason }}' as metric,
            (select coalesce(sum(rejected_lines), 0) from rejected where reject_reason = '{{ reason }}') as value
    {% endfor %}

)

select
    metric,
    cast(value as bigint) as value
from metrics
