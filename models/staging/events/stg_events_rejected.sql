{{ config(materialized='view') }}

{#- Every rejected raw line with its first reject reason (SPEC §3), after deletion requests: the rejected lines of base_events__ledger. -#}

with

rejected_lines as (

    select
        file,
        line_number,
        raw_line,
        reject_reason,
        occurred_at,
        received_at,
        _file_modified_at as file_modified_at
    from {{ ref('base_events__ledger') }}
    where line_status = 'rejected'

)

select * from rejected_lines
