{{ config(materialized=product_analytics.long_view_materialization()) }}

{#-
    Every line of base_events__lines parsed (SPEC §2, §3): every canonical field resolved,
    and the first reject reason (null for an accepted line). The rules live in the macro
    parsed_event_lines, which base_events__ledger applies to exactly the lines it lands;
    this view applies them to every line on disk, to inspect and test them.
-#}

with

lines as (

    select
        file,
        line_number,
        raw_line,
        is_valid_utf8
    from {{ ref('base_events__lines') }}

),

{{ parsed_event_lines('lines', 'line_') }}

select * from line_parsed_lines
