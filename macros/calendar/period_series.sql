{#-
    A select-list expression that yields one row per period start from `first_period` to
    `last_period` (both period starts of `grain`, inclusive), as dates. Use it in the select
    list of a CTE over one row per series:
    `select {{ period_series('day', 'first_day', 'last_day') }} as activity_date from bounds`.
-#}
{% macro period_series(grain, first_period, last_period) -%}
    {%- if grain not in ('day', 'week', 'month') -%}
        {{ exceptions.raise_compiler_error("unknown grain: " ~ grain) }}
    {%- endif -%}
    {{ return(adapter.dispatch('period_series', 'product_analytics')(grain, first_period, last_period)) }}
{%- endmacro %}

{% macro default__period_series(grain, first_period, last_period) -%}
    cast(generate_series({{ first_period }}, {{ last_period }}, interval '1 {{ grain }}') as date)
{%- endmacro %}

{% macro duckdb__period_series(grain, first_period, last_period) -%}
    cast(unnest(generate_series({{ first_period }}, {{ last_period }}, interval '1 {{ grain }}')) as date)
{%- endmacro %}

{#- Spark's sequence() fails when last < first (DuckDB yields no row): no row either. -#}
{% macro spark__period_series(grain, first_period, last_period) -%}
    explode(
        case
            when {{ last_period }} >= {{ first_period }}
                then sequence(cast({{ first_period }} as date), cast({{ last_period }} as date), interval 1 {{ grain }})
        end
    )
{%- endmacro %}

{#- A select-list expression that yields one row per integer from `first` to `last` (none when last < first). -#}
{% macro integer_series(first, last) -%}
    {{ return(adapter.dispatch('integer_series', 'product_analytics')(first, last)) }}
{%- endmacro %}

{% macro default__integer_series(first, last) -%}
    generate_series({{ first }}, {{ last }})
{%- endmacro %}

{% macro duckdb__integer_series(first, last) -%}
    unnest(generate_series({{ first }}, {{ last }}))
{%- endmacro %}

{#- Spark's sequence counts down when last < first: return none instead. -#}
{% macro spark__integer_series(first, last) -%}
    explode(case when {{ last }} >= {{ first }} then sequence({{ first }}, {{ last }}) end)
{%- endmacro %}
