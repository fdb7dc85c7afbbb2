{{ config(materialized='table') }}

{#-
    Every raw event file on disk when the build runs (SPEC §1): each file below var
    `raw_events_path`, at any depth, whose name ends in .ndjson, .jsonl, .ndjson.gz or
    .jsonl.gz, with its size and modification time. Other files are ignored. Listed again
    on every run; what has been landed of each file is base_events__ledger's to know.
-#}

with

listed_files as (

    select
        file,
        file_size_bytes,
        file_modified_at
    from {{ event_files(var('raw_events_path')) }}

)

select * from listed_files
