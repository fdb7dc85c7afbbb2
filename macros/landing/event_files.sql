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
