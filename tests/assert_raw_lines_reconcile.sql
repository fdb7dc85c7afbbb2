{#-
    SPEC §3 and §11: every raw line ends in exactly one of accepted, duplicate, rejected
    or deleted. Checks fct_ingestion_reconciliation against the parsed lines counted
    directly; returns a row for each broken equation.
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

parsed as (

    select
        count(*) as parsed_lines,
        sum(case when reject_reason is null then 1 else 0 end) as accepted_lines,
        sum(case when reject_reason is not null then 1 else 0 end) as rejected_lines
    from {{ ref('base_events__parsed') }}

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
        'accepted + duplicates = accepted parsed lines' as equation,
        reconciliation.accepted + reconciliation.duplicates as left_side,
        parsed.accepted_lines as right_side
    from reconciliation
    cross join parsed

    union all

    select
        'rejected = rejected parsed lines' as equation,
        reconciliation.rejected as left_side,
        parsed.rejected_lines as right_side
    from reconciliation
    cross join parsed

    union all

    select
        'raw - deleted = parsed lines' as equation,
        reconciliation.raw_lines - reconciliation.deleted as left_side,
        parsed.parsed_lines as right_side
    from reconciliation
    cross join parsed

)

select * from checks
where left_side != right_side
