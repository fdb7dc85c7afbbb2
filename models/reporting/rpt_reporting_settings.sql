{#-
    The reporting settings the marts were built with (SPEC §6, §8), so that readers of the
    warehouse (the static report, BI tools) can label days and money without access to
    the dbt vars of the build: one row.
#}

with

final as (

    select
        cast('{{ var("reporting_timezone") | replace("'", "''") }}' as varchar) as reporting_timezone,
        cast('{{ var("reporting_currency") | replace("'", "''") }}' as varchar) as reporting_currency,
        cast('{{ var("retention_cohort_event") or "" }}' as varchar) as retention_cohort_event

)

select * from final
