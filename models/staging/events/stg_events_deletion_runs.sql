{{ config(materialized='view') }}

{#-
    The runs that deleted lines landed by an earlier run (SPEC §11, §9): a deletion request
    reached events that downstream tables already hold. Incremental models rebuild whole
    when such a run happened after they last ran (macros/incremental): which persons'
    rows to drop is not kept anywhere, by design. Runs that only delete lines they land
    themselves (a deleted person's events arriving later) are not listed; those lines
    never reach a downstream table.
-#}

with

deletions as (

    select
        _run_seq,
        count(*) as deleted_lines
    from {{ ref('base_events__ledger') }}
    where
        line_status = 'deleted'
        and _landed_run_seq < _run_seq
    group by _run_seq

)

select * from deletions
