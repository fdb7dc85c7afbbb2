{#-
    Currency rates as validity ranges (SPEC §8): per currency, each `currency_rates` row is
    in force from its valid_from up to the next row's valid_from (valid_to, exclusive;
    null for the latest). The reporting currency always converts at 1, whatever the seed
    says: its seed rows are replaced by one row in force since 0001-01-01. Seed currencies
    are trimmed and uppercased; two rows for the same currency and valid_from keep the
    larger rate.
-#}

{%- set reporting_currency = var('reporting_currency') | trim | upper %}

with

seed_rates as (

    select
        {{ upper_text('trim(currency)') }} as currency,
        valid_from,
        rate_to_reporting
    from {{ ref('currency_rates') }}

),

seed_rates_ranked as (

    select
        *,
        row_number() over (
            partition by currency, valid_from
            order by rate_to_reporting desc
        ) as rate_rank
    from seed_rates
    where currency != '{{ reporting_currency }}'

),

rates as (

    select
        currency,
        valid_from,
        rate_to_reporting
    from seed_rates_ranked
    where rate_rank = 1

    union all

    select
        '{{ reporting_currency }}' as currency,
        cast('0001-01-01' as date) as valid_from,
        cast(1.0 as double) as rate_to_reporting

),

final as (

    select
        currency,
        valid_from,
        lead(valid_from) over (partition by currency order by valid_from) as valid_to,
        rate_to_reporting
    from rates

)

select * from final
