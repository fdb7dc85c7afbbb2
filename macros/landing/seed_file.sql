{#-
    The rows of a CSV file of the project's seeds folder, read when the query runs, as a
    relation expression with every column as text (the header names the columns). For
    the seed that must never be stored in the warehouse: deletion_requests names the
    identifiers of persons to forget (SPEC §11), so it is read from its file by a view
    instead of being loaded as a table.
-#}
{% macro seed_file(seed_name) -%}
    {%- set root = namespace(path='.') -%}
    {#- the project's folder, as dbt recorded it on the project's nodes -#}
    {%- for node in (graph.get('nodes') or {}).values()
        if node.package_name == project_name and node.get('root_path') -%}
        {%- set root.path = node.root_path -%}
    {%- endfor -%}
    {%- set path = root.path ~ '/seeds/' ~ seed_name ~ '.csv' -%}
    {{ return(adapter.dispatch('seed_file', 'product_analytics')(path)) }}
{%- endmacro %}

{% macro default__seed_file(path) -%}
    {{ exceptions.raise_compiler_error("seed_file: seed files can be read on duckdb and spark only, not " ~ target.type) }}
{%- endmacro %}

{% macro duckdb__seed_file(path) -%}
    read_csv('{{ path | replace("'", "''") }}', header = true, all_varchar = true)
{%- endmacro %}

{#- Spark's csv source with the header naming the columns, every column a string (no schema inference); an empty field reads as null. -#}
{% macro spark__seed_file(path) -%}
    csv.`{{ path }}` with ('header' = 'true', 'inferSchema' = 'false')
{%- endmacro %}
