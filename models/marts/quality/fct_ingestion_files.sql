{#-
    One row per raw event file on disk or landed (SPEC §1, §3): what the build made of
    it. status:
    - landed: every line of the file as it is now was landed;
    - waiting: readable but not landed yet (it arrived or grew while the build ran, or
      changed while it was read); the next build lands it;
    - unreadable: it cannot be read to its end (a truncated or corrupt gzip file, no
      permission); nothing of it is landed until a readable file replaces it;
    - shrunk, rewritten: a landed file that is now shorter, or whose landed bytes or
      landed last line changed; its new content is not landed (files are append-only);
    - copy_of_landed_file: a new file whose bytes equal a landed file's (a rename or a
      copy); not landed, so its lines are not counted twice;
    - gone: landed, no longer on disk (its landed lines stay).
    The tests on this model warn, naming the files, on every build until they are fixed.
-#}

with

listed_files as (

    select
        file,
        file_size_bytes,
        file_modified_at
    from {{ ref('base_events__files') }}

),

landed_lines as (

    select
        file,
        line_number,
        line_status,
        raw_line,
        _file_size_bytes,
        _file_fingerprint,
        _file_ends_with_newline
    from {{ ref('base_events__ledger') }}

),

landed_files as (

    select
        file,
        count(*) as landed_lines,
        max(_file_size_bytes) as landed_size_bytes,
        max_by(_file_fingerprint, _file_size_bytes) as landed_fingerprint,
        max_by(_file_ends_with_newline, _file_size_bytes) as landed_ends_with_newline,
        max(line_number) as last_landed_line_number
    from landed_lines
    group by file

),

landed_fingerprints as (

    select
        landed_fingerprint,
        min(file) as file
    from landed_files
    group by landed_fingerprint

),

files_compared as (

    select
        coalesce(listed_files.file, landed_files.file) as file,
        listed_files.file_size_bytes,
        listed_files.file_modified_at,
        landed_files.file is not null as is_landed,
        listed_files.file is not null as is_on_disk,
        coalesce(landed_files.landed_lines, 0) as landed_lines,
        landed_files.landed_size_bytes,
        landed_files.landed_fingerprint,
        landed_files.last_landed_line_number,
        landed_files.landed_ends_with_newline
    from listed_files
    full outer join landed_files
        on listed_files.file = landed_files.file

),

files_to_check as (

    {#- files the build could not land whole: read again to tell why -#}
    select file
    from files_compared
    where
        is_on_disk
        and (not is_landed or file_size_bytes != landed_size_bytes)

),

lines_read_again as (

    select
        file,
        line_number,
        physical_line,
        file_fingerprint,
        file_read_error
    from {{ event_file_lines('files_to_check') }}

),

files_read_again as (

    select
        file,
        max(file_read_error) as file_read_error,
        min(file_fingerprint) as file_fingerprint
    from lines_read_again
    group by file

),

last_lines_read_again as (

    select
        files_compared.file,
        landed_lines.line_status,
        {{ is_same_value('landed_lines.raw_line', without_trailing_carriage_return('lines_read_again.physical_line')) }}
            as is_unchanged
    from files_compared
    inner join landed_lines
        on
            files_compared.file = landed_lines.file
            and files_compared.last_landed_line_number = landed_lines.line_number
    left join lines_read_again
        on
            landed_lines.file = lines_read_again.file
            and landed_lines.line_number = lines_read_again.line_number
    where
        files_compared.file_size_bytes > files_compared.landed_size_bytes
        and not files_compared.landed_ends_with_newline
        and landed_lines.line_status in ('accepted', 'duplicate')

),

judged as (

    select
        files_compared.*,
        files_read_again.file_read_error,
        same_content.file as same_content_file,
        case
            when not files_compared.is_on_disk then 'gone'
            when files_read_again.file_read_error is not null then 'unreadable'
            when not files_compared.is_landed and same_content.file is not null then 'copy_of_landed_file'
            when not files_compared.is_landed then 'waiting'
            when files_compared.file_size_bytes = files_compared.landed_size_bytes then 'landed'
            when files_compared.file_size_bytes < files_compared.landed_size_bytes then 'shrunk'
            when not {{ is_same_value(
                    event_file_prefix_fingerprint('files_compared.file', 'files_compared.landed_size_bytes'),
                    'files_compared.landed_fingerprint'
                ) }}
                then 'rewritten'
            when not coalesce(last_lines_read_again.is_unchanged, true) then 'rewritten'
            else 'waiting'
        end as status
    from files_compared
    left join files_read_again
        on files_compared.file = files_read_again.file
    left join landed_fingerprints as same_content
        on files_read_again.file_fingerprint = same_content.landed_fingerprint
    left join last_lines_read_again
        on files_compared.file = last_lines_read_again.file

),

final as (

    select
        file,
        status,
        case status
            when 'unreadable' then file_read_error
            when 'copy_of_landed_file' then 'same bytes as ' || same_content_file
            when 'shrunk'
                then
                    'now ' || cast(file_size_bytes as {{ dbt.type_string() }})
                    || ' bytes, ' || cast(landed_size_bytes as {{ dbt.type_string() }}) || ' landed'
            when 'rewritten' then 'the landed part of the file changed'
            when 'waiting' then 'lands on the next build'
            when 'gone' then 'no longer on disk; its landed lines stay'
        end as detail,
        file_size_bytes,
        file_modified_at,
        landed_lines,
        landed_size_bytes
    from judged

)

select * from final
