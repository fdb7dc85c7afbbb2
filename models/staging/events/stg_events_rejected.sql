{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['file', 'line_number'],
    )
}}

{#- Every rejected raw line with its first reject reason (SPEC §3). -#}

with

rejected_lines as (

    select
        file,
        line_number,
        raw_line,
        reject_reason,
        occurred_at,
        received_at,
        load_seq
    from {{ ref('base_events__parsed') }}
    where
        reject_reason is not null
    {% if is_incremental() -%}
            and load_seq > (select coalesce(max(load_seq), 0) from {{ this }})
        {%- endif %}

)

select * from rejected_lines
