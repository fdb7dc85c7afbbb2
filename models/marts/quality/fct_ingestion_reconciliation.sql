{#-
    The line reconciliation of SPEC §3 and §11, one row per metric: every non-blank line
    ever landed (raw_lines) = accepted + duplicates + rejected + deleted, with the
    rejected lines split by reason. Counted from the outcome of each line in
    base_events__ledger; the singular test assert_raw_lines_reconcile checks it against
    stg_events and stg_events_rejected.
-#}

{%- set reasons = ['invalid_json', 'unknown_type', 'missing_event_name', 'missing_identity',
                   'missing_timestamp', 'timestamp_out_of_range'] %}

with

landed_lines as (

    select
        line_status,
        reject_reason
    from {{ ref('base_events__ledger') }}

),

metrics as (

    select
        'raw_lines' as metric,
        count(*) as value
    from landed_lines

    {%- for status, metric in [('accepted', 'accepted'), ('duplicate', 'duplicates'),
                               ('rejected', 'rejected'), ('deleted', 'deleted')] %}

        union all

        select
            '{{ metric }}' as metric,
            sum(case when line_status = '{{ status }}' then 1 else 0 end) as value
        from landed_lines
    {%- endfor %}

    {%- for reason in reasons %}

        union all

        select
            'rejected_{{ reason }}' as metric,
            sum(case when line_status = 'rejected' and reject_reason = '{{ reason }}' then 1 else 0 end) as value
        from landed_lines
    {%- endfor %}

)

select
    metric,
    cast(coalesce(value, 0) as {{ dbt.type_bigint() }}) as value
from metrics
