{#-
    PROTOTYPE, not used by any model: landing raw NDJSON files in Spark SQL alone (a plain
    select: a model body or a view, no DDL), as base_events__files and base_events__lines do
    in Python on DuckDB. Proven against Python's reading of the same files by
    tests/python/test_spark_landing_prototype.py.

    - Every file whose name ends in .ndjson, .jsonl, .ndjson.gz or .jsonl.gz at any depth:
      the text source with recursiveFileLookup and pathGlobFilter, options given in the
      select's WITH clause (OSS Spark has no read_files). Spark's file listing skips names
      starting with `.` or `_` (files and folders) and zero-length files, which os.walk
      does not; a glob naming such a folder explicitly (`root/.hidden/*.ndjson`) reads it.
    - Each file is one row (wholetext): read once, gzip (multi-member too) decompressed by
      the codec named by the suffix. A truncated or corrupt .gz fails the query
      (FAILED_READ_FILE, EOFException); with spark.sql.files.ignoreCorruptFiles=true the
      whole file is skipped silently.
    - The text keeps the file's bytes, but split() and the regex functions work on Java
      strings, which replace invalid UTF-8 their own way; so lines are cut on the hex of the
      bytes, each byte written as ` XX` so that ` 0A` can only match a whole byte.
      posexplode keeps the 1-based physical line number; one trailing CR is removed;
      lines of ASCII whitespace only are counted but not landed; make_valid_utf8 replaces
      ill-formed bytes as Python's bytes.decode('utf-8', errors='replace') does.
    - file is the local path of the file (Spark gives a URI: `file:` and %-escapes removed).
-#}
{% macro read_event_file_lines(path) -%}
    {{ return(adapter.dispatch('read_event_file_lines', 'product_analytics')(path)) }}
{%- endmacro %}

{% macro default__read_event_file_lines(path) -%}
    {{ exceptions.raise_compiler_error(
        "product_analytics.read_event_file_lines is a Spark prototype (supported adapters: spark); "
        ~ "on DuckDB the Python models base_events__files and base_events__lines land the files"
    ) }}
{%- endmacro %}

{#- The local path of a file URI (`+` is literal in a path, so it is protected from url_decode). -#}
{% macro spark_local_path(uri) -%}
    url_decode(replace(regexp_replace({{ uri }}, '^file:(//)?', ''), '+', '%2B'))
{%- endmacro %}

{% macro spark__read_event_file_lines(path) -%}
    {%- set options -%}
        'wholetext' = 'true',
        'recursiveFileLookup' = 'true',
        'pathGlobFilter' = '*.{ndjson,jsonl,ndjson.gz,jsonl.gz}'
    {%- endset -%}
    with

    event_files as (

        select
            {{ product_analytics.spark_local_path('_metadata.file_path') }} as file,
            _metadata.file_size as file_size_bytes,
            _metadata.file_modification_time as file_modified_at,
            concat(regexp_replace(hex(cast(value as binary)), '(..)', ' $1'), ' ') as spaced_hex
        from text.`{{ path }}` with ({{ options }})

    ),

    physical_lines as (

        select
            event_files.file,
            event_files.file_size_bytes,
            event_files.file_modified_at,
            file_lines.position + 1 as line_number,
            regexp_replace(file_lines.line_hex, ' 0D ?$', '') as line_hex
        from event_files
        lateral view posexplode(split(event_files.spaced_hex, ' 0A(?= )')) file_lines as position, line_hex

    ),

    decoded as (

        select
            file,
            file_size_bytes,
            file_modified_at,
            line_number,
            cast(unhex(replace(line_hex, ' ', '')) as string) as line_text,
            regexp_replace(line_hex, ' (?:20|09|0B|0C|0D)(?= |$)', '') as non_blank_hex
        from physical_lines

    )

    select
        file,
        line_number,
        make_valid_utf8(line_text) as raw_line,
        is_valid_utf8(line_text) as is_valid_utf8,
        file_size_bytes,
        file_modified_at
    from decoded
    where trim(non_blank_hex) != ''
{%- endmacro %}

{#- The registry side: every event file with its size, modification time and the SHA-256 of its bytes as stored (compressed for .gz), from the binaryFile source. -#}
{% macro spark__event_files_with_hash(path) -%}
    select
        {{ product_analytics.spark_local_path('path') }} as file,
        length as file_size_bytes,
        modificationTime as file_modified_at,
        sha2(content, 256) as file_sha256
    from binaryFile.`{{ path }}` with (
        'recursiveFileLookup' = 'true',
        'pathGlobFilter' = '*.{ndjson,jsonl,ndjson.gz,jsonl.gz}'
    )
{%- endmacro %}
