{#-
    Reading raw event files (SPEC §1-3). Each macro returns a relation expression for a
    `from` clause (or a scalar expression), so the models keep their SQL and only the
    engine's file reader differs. DuckDB reads through the functions of the dbt-duckdb
    plugin product_analytics_tools.duckdb_landing (profiles.yml); Spark through its file
    sources.
-#}

{#- Every file below `root` (any depth) whose name ends in .ndjson, .jsonl, .ndjson.gz or .jsonl.gz: file (absolute path), file_size_bytes, file_modified_at (UTC). -#}
{% macro event_files(root) -%}
    {{ return(adapter.dispatch('event_files', 'product_analytics')(root)) }}
{%- endmacro %}

{% macro default__event_files(root) -%}
    {{ exceptions.raise_compiler_error(
        "event_files: raw event files can be listed on duckdb and spark only, not " ~ target.type
    ) }}
{%- endmacro %}

{% macro duckdb__event_files(root) -%}
    (select unnest(pa_list_event_files('{{ root | replace("'", "''") }}'), recursive := true))
{%- endmacro %}

{#-
    Spark lists the files with its binaryFile source (the content column is not read when
    it is not selected). Spark's listing skips names starting with `.` or `_` (files and
    folders) and zero-length files, which the DuckDB listing keeps.
-#}
{% macro spark__event_files(root) -%}
    (
        select
            {{ product_analytics.spark_local_path('listed.path') }} as file,
            listed.length as file_size_bytes,
            listed.modificationtime as file_modified_at
        from binaryFile.`{{ root }}` with ({{ product_analytics.spark_event_file_options() }}) as listed
    )
{%- endmacro %}

{#- The options of Spark's file sources that select the event files below a folder, at any depth. -#}
{% macro spark_event_file_options() -%}
    'recursiveFileLookup' = 'true',
    'pathGlobFilter' = '*.{ndjson,jsonl,ndjson.gz,jsonl.gz}'
{%- endmacro %}

{#-
    The physical lines of the files in `files_relation` (a relation with a `file` column):
    one row per line with file, line_number (1-based, blank lines counted), physical_line
    (without its newline; a trailing carriage return is still there; blank lines may
    appear), is_valid_utf8 (invalid lines are decoded as Python's errors="replace" does),
    and the file's facts as it was read: file_size_bytes, file_fingerprint (SHA-256 of its
    bytes), file_ends_with_newline and file_read_error. A file that cannot be read to its end gives one row with its
    error, a null line_number and no line.
-#}
{% macro event_file_lines(files_relation) -%}
    {{ return(adapter.dispatch('event_file_lines', 'product_analytics')(files_relation)) }}
{%- endmacro %}

{% macro default__event_file_lines(files_relation) -%}
    {{ exceptions.raise_compiler_error(
        "event_file_lines: raw event files can be read on duckdb and spark only, not " ~ target.type
    ) }}
{%- endmacro %}

{#- Each file is read in parts (pa_event_file_part_count of them), so that no DuckDB vector holds more than a few thousand lines; each part's text is split into lines here. -#}
{% macro duckdb__event_file_lines(files_relation) -%}
    (
        select
            file,
            part.file_size_bytes as file_size_bytes,
            part.fingerprint as file_fingerprint,
            part.ends_with_newline as file_ends_with_newline,
            part.read_error as file_read_error,
            case
                when part.read_error is null
                    then part.first_line_number + generate_subscripts(part_lines, 1) - 1
            end as line_number,
            unnest(part_lines) as physical_line,
            not list_contains(part.invalid_line_numbers, line_number) as is_valid_utf8
        from (
            select
                file,
                part,
                coalesce(string_split(decode(part.text), chr(10)), [null]) as part_lines
            from (
                select
                    file,
                    part_number,
                    pa_read_event_file_part(file, null, part_number, part_count) as part
                from (
                    select
                        file,
                        pa_event_file_part_count(file) as part_count,
                        unnest(generate_series(1, pa_event_file_part_count(file))) as part_number
                    from {{ files_relation }}
                )
            )
            where part.text is not null or part_number = 1
        )
    )
{%- endmacro %}

{#-
    Spark reads each event file below var `raw_events_path` whole, as one text value
    (the text source with wholetext; gzip, multi-member too, decompressed by the codec its
    suffix names), and its stored bytes once more (binaryFile) for their size and SHA-256;
    rows are kept for the files of `files_relation`. A file Spark cannot read to its end
    (a truncated or corrupt .gz) gives no text (ignoreCorruptFiles): it gets one row with
    its error and no line. split() and the regex functions work on Java strings, which
    replace invalid UTF-8 their own way, so the text is cut into lines on the hex of its
    bytes (each byte written ` XX`, so that ` 0A` matches whole bytes only); posexplode
    keeps the 1-based physical line number; make_valid_utf8 decodes an invalid line as
    Python's errors="replace" does. Files are read whole: keep them bounded in size (a
    few hundred MB of text at most per file).
-#}
{% macro spark__event_file_lines(files_relation) -%}
    {%- set root = var('raw_events_path') -%}
    (
        select
            wanted_files.file,
            stored_files.file_size_bytes,
            stored_files.file_fingerprint,
            file_texts.file_ends_with_newline,
            case
                when file_texts.file is null
                    then 'not readable to its end by Spark (truncated or corrupt gzip, or unreadable)'
            end as file_read_error,
            file_lines.position + 1 as line_number,
            make_valid_utf8(cast(unhex(replace(file_lines.line_hex, ' ', '')) as string)) as physical_line,
            is_valid_utf8(cast(unhex(replace(file_lines.line_hex, ' ', '')) as string)) as is_valid_utf8
        from (select distinct file from {{ files_relation }}) as wanted_files
        left join (
            select
                {{ product_analytics.spark_local_path('stored.path') }} as file,
                stored.length as file_size_bytes,
                sha2(stored.content, 256) as file_fingerprint
            from binaryFile.`{{ root }}` with ({{ product_analytics.spark_event_file_options() }}) as stored
        ) as stored_files
            on wanted_files.file = stored_files.file
        left join (
            select
                file,
                spaced_hex like '% 0A ' as file_ends_with_newline,
                split(spaced_hex, ' 0A(?= )') as line_hexes
            from (
                select
                    {{ product_analytics.spark_local_path('_metadata.file_path') }} as file,
                    concat(regexp_replace(hex(cast(value as binary)), '(..)', ' $1'), ' ') as spaced_hex
                from text.`{{ root }}` with (
                    'wholetext' = 'true',
                    'ignoreCorruptFiles' = 'true',
                    {{ product_analytics.spark_event_file_options() }}
                )
            ) as whole_texts
        ) as file_texts
            on wanted_files.file = file_texts.file
        lateral view outer posexplode(file_texts.line_hexes) file_lines as position, line_hex
        {#- the text after a final newline is no line #}
        where not coalesce(
            file_texts.file_ends_with_newline and file_lines.position = size(file_texts.line_hexes) - 1,
            false
        )
    )
{%- endmacro %}

{#- SHA-256 of the first `prefix_bytes` bytes of a file (null when it is shorter): whether a file that grew only had lines appended. -#}
{% macro event_file_prefix_fingerprint(file, prefix_bytes) -%}
    {{ return(adapter.dispatch('event_file_prefix_fingerprint', 'product_analytics')(file, prefix_bytes)) }}
{%- endmacro %}

{% macro default__event_file_prefix_fingerprint(file, prefix_bytes) -%}
    {{ exceptions.raise_compiler_error(
        "event_file_prefix_fingerprint: raw event files can be read on duckdb and spark only, not " ~ target.type
    ) }}
{%- endmacro %}

{% macro duckdb__event_file_prefix_fingerprint(file, prefix_bytes) -%}
    pa_event_file_prefix_fingerprint({{ file }}, {{ prefix_bytes }})
{%- endmacro %}

{#- A correlated scalar subquery over the stored bytes of the files below var `raw_events_path` (one row: a path names one file; Spark refuses an aggregate mixing outer and local references). -#}
{% macro spark__event_file_prefix_fingerprint(file, prefix_bytes) -%}
    (
        select
            case
                when prefix_reads.length >= {{ prefix_bytes }}
                    then sha2(substring(prefix_reads.content, 1, {{ prefix_bytes }}), 256)
            end
        from binaryFile.`{{ var('raw_events_path') }}` with ({{ product_analytics.spark_event_file_options() }})
            as prefix_reads
        where {{ product_analytics.spark_local_path('prefix_reads.path') }} = {{ file }}
    )
{%- endmacro %}

{#- A physical line without one trailing carriage return (SPEC §2: CRLF files). -#}
{% macro without_trailing_carriage_return(line) -%}
    case
        when {{ line }} like '%' || chr(13) then left({{ line }}, length({{ line }}) - 1)
        else {{ line }}
    end
{%- endmacro %}

{#- True for a line of ASCII whitespace only (space, tab, CR, LF, VT, FF): not an event, not counted. -#}
{% macro is_blank_line(line) -%}
    not {{ product_analytics.regex_contains(line, "'[^ \\t\\n\\r\\x0b\\x0c]'") }}
{%- endmacro %}
