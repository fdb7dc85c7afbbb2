{#- The columns of parsed_event_lines after file and line_number, in order: what base_events__ledger keeps of a line (and blanks when a deletion request removes it). -#}
{% macro parsed_event_columns() -%}
    {{ return([
        'raw_line', 'reject_reason', 'event_id', 'event_type', 'event_name', 'user_id', 'anonymous_id',
        'previous_id', 'occurred_at', 'received_at', 'client_session_id', 'page_url', 'page_path', 'referrer',
        'referrer_host', 'page_title', 'utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content',
        'user_agent', 'ip_truncated', 'locale', 'context_device_type', 'properties', 'traits', 'order_key',
        'experiment_name', 'experiment_variant',
    ]) }}
{%- endmacro %}

{#- The columns of stg_events, in order (bookkeeping _run_seq aside): the event's fields, then where its kept line lies. -#}
{% macro stg_event_columns() -%}
    {{ return(
        product_analytics.parsed_event_columns() | reject('in', ['raw_line', 'reject_reason']) | list
        + ['duplicate_count', 'file', 'line_number']
    ) }}
{%- endmacro %}

{#- parsed_event_columns() with their types. -#}
{% macro parsed_event_column_types() -%}
    {%- set types = {} -%}
    {%- for column in product_analytics.parsed_event_columns() -%}
        {%- do types.update({
            column: dbt.type_timestamp() if column in ('occurred_at', 'received_at') else dbt.type_string()
        }) -%}
    {%- endfor -%}
    {{ return(types) }}
{%- endmacro %}
