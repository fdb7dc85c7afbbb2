{#-
    Checks of the user-editable lookup seeds (SPEC §1). A bad seed row would change the
    marts silently (an alias with two targets moves events between names; a blank rate
    nulls revenue), so these tests stop the build, with a message naming the seed file
    and the offending rows.
-#}

{#- No two rows of the seed share the values of `columns`. -#}
{% test unique_seed_rows(model, columns) %}
    {%- set offending -%}
        select seed_rows.*
        from {{ model }} as seed_rows
        inner join (
            select {{ columns | join(', ') }}
            from {{ model }}
            group by {{ columns | join(', ') }}
            having count(*) > 1
        ) as repeated
            on
            {%- for column in columns %}
                seed_rows.{{ column }} = repeated.{{ column }}{% if not loop.last %} and{% endif %}
            {%- endfor %}
    {%- endset -%}
    {{ product_analytics.stop_on_bad_seed_rows(model, offending, columns | join(', ') ~ ' must be unique') }}
    {{ offending }}
{% endtest %}

{#- Every row of the seed satisfies the SQL condition `condition` (a null counts as failing). -#}
{% test seed_rows_satisfy(model, condition, rule, seed_file=none) %}
    {%- set offending -%}
        select *
        from {{ model }}
        where not coalesce({{ condition }}, false)
    {%- endset -%}
    {{ product_analytics.stop_on_bad_seed_rows(model, offending, rule, seed_file) }}
    {{ offending }}
{% endtest %}

{#- When the test runs, raise an error naming the seed's file (`seed_file_path`, else the seed's own) and up to ten offending rows. -#}
{% macro stop_on_bad_seed_rows(model, offending_sql, rule, seed_file_path=none) -%}
    {%- if execute -%}
        {%- set found = run_query(offending_sql) -%}
        {%- if found.rows | length > 0 -%}
            {%- set seed_file = namespace(path=seed_file_path or 'seeds/' ~ model.identifier ~ '.csv') -%}
            {%- for node in graph.nodes.values()
                if node.resource_type == 'seed' and node.name == model.identifier and not seed_file_path -%}
                {%- set seed_file.path = node.original_file_path -%}
            {%- endfor -%}
            {%- set shown = [] -%}
            {%- for row in found.rows[:10] -%}
                {%- set cells = [] -%}
                {%- for column in found.column_names -%}
                    {%- do cells.append(column ~ '=' ~ (row[column] if row[column] is not none else '(blank)')) -%}
                {%- endfor -%}
                {%- do shown.append('  ' ~ cells | join(', ')) -%}
            {%- endfor -%}
            {{ exceptions.raise_compiler_error(
                seed_file.path ~ ': ' ~ found.rows | length ~ ' row(s) break the rule "' ~ rule ~ '":\n'
                ~ shown | join('\n') ~ '\nFix the seed and build again.'
            ) }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}
