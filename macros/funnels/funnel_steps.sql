{#-
    The funnels of var `funnels` (SPEC §7): a list of {name, steps, conversion_window_days}
    where conversion_window_days defaults to var `conversion_window_days`.
-#}

{#- The conversion window W of one funnel in microseconds (days x 24 hours of elapsed time). -#}
{% macro funnel_window_us(funnel) -%}
    {%- set days = funnel.get('conversion_window_days') -%}
    {%- if days is none -%}
        {%- set days = var('conversion_window_days') -%}
    {%- endif -%}
    {{- (days | float * 86400 * 1000000) | round | int -}}
{%- endmacro %}

{#- The largest number of steps of any funnel (how far the attempt logic is unrolled). -#}
{% macro funnel_max_steps() -%}
    {%- set ns = namespace(max_steps=1) -%}
    {%- for funnel in var('funnels') -%}
        {%- if funnel.steps | length > ns.max_steps -%}
            {%- set ns.max_steps = funnel.steps | length -%}
        {%- endif -%}
    {%- endfor -%}
    {{- ns.max_steps -}}
{%- endmacro %}

{#- Every event name used by a step of any funnel. -#}
{% macro funnel_step_events() -%}
    {%- set names = [] -%}
    {%- for funnel in var('funnels') -%}
        {%- for step in funnel.steps -%}
            {%- if step not in names -%}
                {%- do names.append(step) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {{- return(names) -}}
{%- endmacro %}

{#-
    Rows (funnel_name, step_number, step_event, step_count, window_us), one per step of
    every funnel, as a union of selects; no rows when var `funnels` is empty.
-#}
{% macro funnel_step_rows() -%}
    {%- for funnel in var('funnels') -%}
        {%- set funnel_loop = loop -%}
        {%- for step in funnel.steps %}
    select
        '{{ funnel.name | replace("'", "''") }}' as funnel_name,
        {{ loop.index }} as step_number,
        '{{ step | replace("'", "''") }}' as step_event,
        {{ funnel.steps | length }} as step_count,
        cast({{ product_analytics.funnel_window_us(funnel) }} as bigint) as window_us
            {%- if not (loop.last and funnel_loop.last) %}
    union all
            {%- endif -%}
        {%- endfor -%}
    {%- else %}
    select
        cast(null as {{ dbt.type_string() }}) as funnel_name,
        cast(null as integer) as step_number,
        cast(null as {{ dbt.type_string() }}) as step_event,
        cast(null as integer) as step_count,
        cast(null as bigint) as window_us
    where 1 = 0
    {%- endfor %}
{%- endmacro %}
