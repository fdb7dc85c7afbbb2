{#-
    SPEC §3 and §11: every raw line ends in exactly one of accepted, duplicate, rejected
    or deleted. Checks fct_ingestion_reconciliation against the staging models counted
    another way: accepted events and their duplicate counts (stg_events), rejected lines
    (stg_events_rejected); returns a row for each broken equation.
-#}

with

reconciliation as (

    select
        sum(case when metric = 'raw_lines' then value else 0 end) as raw_lines,
        sum(case when metric = 'accepted' then value else 0 end) as accepted,
        sum(case when metric = 'duplicates' then value else 0 end) as duplicates,
        sum(case when metric = 'rejected' then value else 0 end) as rejected,
        sum(case when metric = 'deleted' then value else 0 end) as deleted
    from {{ ref('fct_ingestion_reconciliation') }}

),

events as (

    select
        count(*) as accepted_events,
        coalesce(sum(duplicate_count), 0) as duplicate_lines
    from {{ ref('stg_events') }}

),

rejected as (

    select count(*) as rejected_lines
    from {{ ref('stg_events_rejected') }}

),

checks as (

    select
        'raw = accepted + duplicates + rejected + deleted' as equation,
        reconciliation.raw_lines as left_side,
        reconciliation.accepted + reconciliation.duplicates + reconciliation.rejected
        + reconciliation.deleted as right_side
    from reconciliation

    union all

    select
        'accepted = events of stg_events' as equation,
        reconciliation.accepted as left_side,
        events.accepted_events as right_side
    from reconciliation
    cross join events

    union all

    select
        'duplicates = duplicate counts of stg_events' as equation,
        reconciliation.duplicates as left_side,
        events.duplicate_lines as right_side
    from reconciliation
    cross join events

    union all

    select
        'rejected = lines of stg_events_rejected' as equation,
        reconciliation.rejected as left_side,
        rejected.rejected_lines as right_side
    from reconciliation
    cross join rejected

)

select * from checks
where left_side != right_side
