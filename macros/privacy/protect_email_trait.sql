{#- SPEC §11: a trait value (JSON text) as it may be stored. An email-like string (matching `[^@\s]+@[^@\s]+\.[^@\s]+` anywhere) becomes the JSON string of the SHA-256 hex of its trimmed, lowercased text; any other value is returned as JSON text unchanged. With var `keep_emails` true, every value is returned unchanged. -#}
{% macro protect_email_trait(json_value) -%}
    {%- if var('keep_emails') -%}
        cast({{ json_value }} as {{ dbt.type_string() }})
    {%- else -%}
        case
            when {{ json_kind(json_value) }} = 'string'
                and {{ regex_contains(json_string_value(json_value), "'[^@\\s]+@[^@\\s]+\\.[^@\\s]+'") }}
                then {{ json_string_literal(
                    sha256_hex(lower_text(trim_text(json_string_value(json_value))))
                ) }}
            else cast({{ json_value }} as {{ dbt.type_string() }})
        end
    {%- endif -%}
{%- endmacro %}
