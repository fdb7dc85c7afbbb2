{{ config(materialized='view') }}

{#-
    Every non-blank physical line of every listed event file (SPEC §2), read from disk
    when the view is queried: a line is the text between newlines without one trailing
    carriage return; line numbers are 1-based physical lines, blank lines counted;
    whitespace-only lines are not events and do not appear. Lines that are not valid
    UTF-8 are decoded with replacement characters and flagged (staging rejects them as
    invalid_json). A file that cannot be read to its end (truncated or corrupt gzip,
    unreadable) gives no line, nor does a line that base_events__ledger deleted (SPEC §11:
    the files are the owner's to erase, the warehouse shows nothing of a deleted person).
    A view over every file, for inspecting and testing the line rules: builds land lines
    through base_events__ledger, which reads only the files it lands.
-#}

with

files as (

    select file from {{ ref('base_events__files') }}

),

physical_lines as (

    select
        file,
        line_number,
        physical_line,
        is_valid_utf8
    from {{ event_file_lines('files') }}
    where line_number is not null

),

deleted_lines as (

    select
        file,
        line_number
    from {{ ref('base_events__ledger') }}
    where line_status = 'deleted'

),

final as (

    select
        physical_lines.file,
        physical_lines.line_number,
        {{ without_trailing_carriage_return('physical_lines.physical_line') }} as raw_line,
        physical_lines.is_valid_utf8
    from physical_lines
    left join deleted_lines
        on
            physical_lines.file = deleted_lines.file
            and physical_lines.line_number = deleted_lines.line_number
    where
        not {{ is_blank_line('physical_lines.physical_line') }}
        and deleted_lines.file is null

)

select * from final
