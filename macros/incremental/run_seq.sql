{#- The sequence of this dbt invocation: microseconds since 1970 of its start. It grows from run to run even when no file arrives (a run that only edits deletion_requests), so every model's watermark moves with each run. -#}
{% macro run_seq() -%}
    {{- (run_started_at.timestamp() * 1000000) | int -}}
{%- endmacro %}
