{#-
    SPEC §3: every landed raw line ends in exactly one of accepted, duplicate, rejected
    (or deleted, SPEC §11). Returns a row when the counts do not add up.
-#}

with

landed as (

    select count(*) as raw_lines from {{ ref('base_events__lines') }}

),

accepted as (

    select
        count(*) as accepted_events,
        coalesce(sum(duplicate_count), 0) as duplicate_lines
    from {{ ref('stg_events') }}

),

rejected as (

    select count(*) as rejected_lines from {{ ref('stg_events_rejected') }}

),

parsed as (

    select count(*) as parsed_lines from {{ ref('base_events__parsed') }}

),

final as (

    select
        landed.raw_lines,
        parsed.parsed_lines,
        accepted.accepted_events,
        accepted.duplicate_lines,
        rejected.rejected_lines
    from landed
    cross join parsed
    cross join accepted
    cross join rejected

)

select * from final
where
    raw_lines != accepted_events + duplicate_lines + rejected_lines
    or raw_lines != parsed_lines
