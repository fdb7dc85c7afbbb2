{{ config(**product_analytics.person_level(grain=['person_id', 'experiment_name'])) }}

{#
    One row per person and experiment they were exposed to (SPEC §10). Exposures: events
    named var `experiment_exposure_event` with a non-empty `properties.experiment_name`
    and `properties.variant` (text values trimmed; numbers count as their JSON text). The
    person's variant is that of their first exposure by (occurred_at, event_id);
    is_excluded when they saw more than one variant. Settings come from var `experiments`
    (conversion_event, window_days, control_variant); an experiment missing from it, or a
    missing or null setting, takes the defaults order_completed, 14, control. Converted:
    any accepted event named conversion_event (any type) strictly after the first
    exposure and at most window_days x 24 hours after it. Per person: an incremental run
    rewrites the touched persons' rows.
-#}

{%- set experiments = var('experiments') or {} %}

with

events as (

    select
        event_id,
        event_name,
        person_id,
        occurred_at,
        properties,
        experiment_name,
        experiment_variant
    from {{ ref('int_events_stitched') }}
    where {{ in_rebuilt_buckets() }}

),

experiment_settings as (

    {% for experiment_name, settings in experiments.items() -%}
        {%- set settings = settings or {} -%}
        select
            '{{ experiment_name | replace("'", "''") }}' as experiment_name,
            {% if settings.get('conversion_event') is not none -%}
                '{{ settings.get("conversion_event") | replace("'", "''") }}'
            {%- else -%}
                cast(null as {{ dbt.type_string() }})
            {%- endif %} as conversion_event,
            {% if settings.get('window_days') is not none -%}
                cast({{ settings.get('window_days') | float }} as double)
            {%- else -%}
                cast(null as double)
            {%- endif %} as window_days,
            {% if settings.get('control_variant') is not none -%}
                '{{ settings.get("control_variant") | string | replace("'", "''") }}'
            {%- else -%}
                cast(null as {{ dbt.type_string() }})
            {%- endif %} as control_variant
        {% if not loop.last %}union all{% endif %}
    {% else -%}
        select
            cast(null as {{ dbt.type_string() }}) as experiment_name,
            cast(null as {{ dbt.type_string() }}) as conversion_event,
            cast(null as double) as window_days,
            cast(null as {{ dbt.type_string() }}) as control_variant
        where 1 = 0
    {%- endfor %}

),

exposures as (

    select
        event_id,
        person_id,
        occurred_at,
        experiment_name,
        experiment_variant as variant
    from events
    where event_name = '{{ var("experiment_exposure_event") | replace("'", "''") }}'

),

exposures_ranked as (

    select
        *,
        row_number() over (
            partition by person_id, experiment_name
            order by occurred_at, event_id
        ) as exposure_number
    from exposures
    where
        experiment_name is not null
        and variant is not null

),

person_experiments as (

    select
        person_id,
        experiment_name,
        min(case when exposure_number = 1 then variant end) as variant,
        min(case when exposure_number = 1 then occurred_at end) as first_exposed_at,
        min(case when exposure_number = 1 then event_id end) as first_exposure_event_id,
        count(*) as exposures,
        count(distinct variant) as variants_seen
    from exposures_ranked
    group by person_id, experiment_name

),

person_experiments_configured as (

    select
        person_experiments.*,
        coalesce(experiment_settings.conversion_event, 'order_completed') as conversion_event,
        coalesce(experiment_settings.window_days, 14.0) as window_days,
        coalesce(experiment_settings.control_variant, 'control') as control_variant
    from person_experiments
    left join experiment_settings
        on person_experiments.experiment_name = experiment_settings.experiment_name

),

conversions as (

    select
        person_experiments_configured.person_id,
        person_experiments_configured.experiment_name,
        min(events.occurred_at) as converted_at
    from person_experiments_configured
    inner join events
        on
            person_experiments_configured.person_id = events.person_id
            and person_experiments_configured.conversion_event = events.event_name
            and events.occurred_at > person_experiments_configured.first_exposed_at
            and {{ epoch_microseconds('events.occurred_at') }}
            - {{ epoch_microseconds('person_experiments_configured.first_exposed_at') }}
            <= person_experiments_configured.window_days * 86400000000
    group by person_experiments_configured.person_id, person_experiments_configured.experiment_name

),

final as (

    select
        person_experiments_configured.person_id,
        person_experiments_configured.experiment_name,
        person_experiments_configured.variant,
        person_experiments_configured.variant = person_experiments_configured.control_variant as is_control,
        person_experiments_configured.first_exposed_at,
        person_experiments_configured.first_exposure_event_id,
        person_experiments_configured.exposures,
        person_experiments_configured.variants_seen,
        person_experiments_configured.variants_seen > 1 as is_excluded,
        person_experiments_configured.conversion_event,
        person_experiments_configured.window_days,
        person_experiments_configured.control_variant,
        conversions.converted_at,
        conversions.converted_at is not null as is_converted,
        {{ person_bucket('person_experiments_configured.person_id') }} as _person_bucket,
        cast({{ run_seq() }} as {{ dbt.type_bigint() }}) as _run_seq
    from person_experiments_configured
    left join conversions
        on
            person_experiments_configured.person_id = conversions.person_id
            and person_experiments_configured.experiment_name = conversions.experiment_name

)

select * from final
