{#-
    One row per experiment and variant with at least one counted person (SPEC §10):
    persons exposed to more than one variant are left out of every count and reported
    in excluded_persons (per experiment, repeated on each row); an experiment whose
    persons are all excluded has no rows. Against the control variant: lift_vs_control
    = rate / control rate - 1 (null when the control rate is 0 or there is no control
    row), and the pooled two-proportion z-test, z = (p - p_control) / sqrt(p_pooled
    (1 - p_pooled) (1/n + 1/n_control)), with its two-sided p-value erfc(|z| / sqrt(2));
    both null for the control row, without a control row, and when the pooled standard
    error is 0. is_significant: p_value < 0.05 (false when null).
-#}

with

person_experiments as (

    select
        person_id,
        experiment_name,
        variant,
        is_control,
        is_excluded,
        is_converted
    from {{ ref('int_experiment_exposures') }}

),

excluded_counts as (

    select
        experiment_name,
        cast(sum(case when is_excluded then 1 else 0 end) as bigint) as excluded_persons
    from person_experiments
    group by experiment_name

),

variant_counts as (

    select
        experiment_name,
        variant,
        is_control,
        count(*) as exposed_persons,
        cast(sum(case when is_converted then 1 else 0 end) as bigint) as converted_persons
    from person_experiments
    where not is_excluded
    group by experiment_name, variant, is_control

),

variants_against_control as (

    select
        variant_counts.*,
        cast(variant_counts.converted_persons as double) / variant_counts.exposed_persons as conversion_rate,
        controls.exposed_persons as control_exposed_persons,
        controls.converted_persons as control_converted_persons,
        cast(controls.converted_persons as double) / controls.exposed_persons as control_conversion_rate,
        cast(variant_counts.converted_persons + controls.converted_persons as double)
        / (variant_counts.exposed_persons + controls.exposed_persons) as pooled_rate
    from variant_counts
    left join variant_counts as controls
        on
            variant_counts.experiment_name = controls.experiment_name
            and controls.is_control
            and not variant_counts.is_control

),

standard_errors as (

    select
        *,
        sqrt(
            pooled_rate * (1 - pooled_rate)
            * (cast(1 as double) / exposed_persons + cast(1 as double) / control_exposed_persons)
        ) as standard_error
    from variants_against_control

),

z_scores as (

    select
        *,
        case
            when standard_error > 0 then (conversion_rate - control_conversion_rate) / standard_error
        end as z_score
    from standard_errors

),

erfc_arguments as (

    select
        *,
        abs(z_score) / sqrt(2.0) as erfc_argument
    from z_scores

),

p_values as (

    select
        *,
        {{ erfc('erfc_argument') }} as p_value
    from erfc_arguments

),

final as (

    select
        p_values.experiment_name,
        p_values.variant,
        p_values.is_control,
        p_values.exposed_persons,
        p_values.converted_persons,
        p_values.conversion_rate,
        case
            when p_values.control_conversion_rate != 0
                then p_values.conversion_rate / p_values.control_conversion_rate - 1
        end as lift_vs_control,
        p_values.z_score,
        p_values.p_value,
        excluded_counts.excluded_persons,
        coalesce(p_values.p_value < 0.05, false) as is_significant
    from p_values
    inner join excluded_counts
        on p_values.experiment_name = excluded_counts.experiment_name

)

select * from final
