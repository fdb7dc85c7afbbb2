{{
    config(
        materialized='incremental',
        incremental_strategy='rebuild',
        unique_key=['identifier_type', 'identifier'],
        meta={'removes_keys': true},
        **product_analytics.partitioning('_person_bucket'),
    )
}}

{#-
    One row per identifier seen on an accepted event, with its person (SPEC §4), after
    deletion requests. The resolution is int_identity_resolved; an incremental run writes
    only the identifiers that are new or changed person (their `_run_seq` is the run's),
    so that the events of exactly those identifiers are re-keyed downstream, and drops
    the identifiers no longer seen on any accepted event (a duplicate line that won with
    other ids, or a deletion).
-#}

with

resolved as (

    select
        identifier_type,
        identifier,
        canonical_user_id,
        person_id
    from {{ ref('int_identity_resolved') }}

),

previous_map as (

    {% if is_incremental() -%}
        select
            identifier_type,
            identifier,
            person_id
        from {{ this }}
    {%- else -%}
        select
            identifier_type,
            identifier,
            person_id
        from resolved
        where 1 = 0
    {%- endif %}

),

changed as (

    select
        resolved.identifier_type,
        resolved.identifier,
        resolved.person_id,
        resolved.canonical_user_id,
        false as _is_removed
    from resolved
    left join previous_map
        on
            resolved.identifier_type = previous_map.identifier_type
            and resolved.identifier = previous_map.identifier
    where previous_map.person_id is null or previous_map.person_id != resolved.person_id

),

removed as (

    select
        previous_map.identifier_type,
        previous_map.identifier,
        previous_map.person_id,
        cast(null as {{ dbt.type_string() }}) as canonical_user_id,
        true as _is_removed
    from previous_map
    left join resolved
        on
            previous_map.identifier_type = resolved.identifier_type
            and previous_map.identifier = resolved.identifier
    where resolved.identifier is null

),

final as (

    select
        identifier_type,
        identifier,
        person_id,
        canonical_user_id,
        {{ person_bucket('person_id') }} as _person_bucket,
        cast({{ run_seq() }} as {{ dbt.type_bigint() }}) as _run_seq,
        _is_removed
    from changed

    union all

    select
        identifier_type,
        identifier,
        person_id,
        canonical_user_id,
        {{ person_bucket('person_id') }} as _person_bucket,
        cast({{ run_seq() }} as {{ dbt.type_bigint() }}) as _run_seq,
        _is_removed
    from removed

)

select * from final
