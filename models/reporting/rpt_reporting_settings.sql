{#-
    The reporting settings the marts were built with (SPEC §6, §8), so that readers of the
    warehouse (the static report, BI tools) can label days and money without access to
    the dbt vars of the build: one row.
#}

with

final as (

    select
        '{{ var("reporting_timezone") | replace("'", "''") }}' as reporting_timezone,
        '{{ var("reporting_currency") | replace("'", "''") }}' as reporting_currency,
        '{{ (var("retention_cohort_event") or "") | replace("'", "''") }}' as retention_cohort_event

)

select * from final
