{#- SQL boolean: `raw_line` holds a user_id or anonymous_id of `requests` (user_id, anonymous_id: trimmed, empty as null) as a JSON string ("<id>"): SPEC §11 removes such rejected lines. -#}
{% macro mentions_deletion_request(raw_line, requests) -%}
    exists (
        select 1
        from {{ requests }} as listed
        where
            (listed.user_id is not null and contains({{ raw_line }}, '"' || listed.user_id || '"'))
            or (listed.anonymous_id is not null and contains({{ raw_line }}, '"' || listed.anonymous_id || '"'))
    )
{%- endmacro %}
