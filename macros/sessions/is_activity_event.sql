{#- SPEC §5: an activity event is an accepted event whose type is not identify, alias or group and whose name is not in var `non_interactive_events`. -#}
{% macro is_activity_event(event_type='event_type', event_name='event_name') -%}
    (
        {{ event_type }} not in ('identify', 'alias', 'group')
        and not {{ product_analytics.is_in_list(event_name, var('non_interactive_events')) }}
    )
{%- endmacro %}
