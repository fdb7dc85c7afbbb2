{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['identifier_type', 'identifier'],
        post_hook=[
            "delete from {{ this }} where not exists (select 1 from {{ ref('int_identity_resolved') }} as resolved
            where resolved.identifier_type = {{ this }}.identifier_type and resolved.identifier = {{ this }}.identifier)",
        ],
    )
}}

{#-
    One row per identifier seen on an accepted event, with its person (SPEC §4).
    The resolution itself is `int_identity_resolved`. The whole map is derived again on
    every run (it is small next to the events), after deletion requests are applied, but
    an incremental run writes only the identifiers that are new or changed person, with
    the person they had before, so the events of exactly those identifiers are re-keyed
    downstream. Identifiers no longer seen on any accepted event (a duplicate line that
    won with other ids, or a deletion) are removed by the post-hook.
-#}

-- depends_on: {{ ref('int_privacy_purge') }}

with

mapped as (

    select
        identifier_type,
        identifier,
        canonical_user_id,
        person_id
    from {{ ref('int_identity_resolved') }}

),

final as (

    select
        mapped.identifier_type,
        mapped.identifier,
        mapped.person_id,
        mapped.canonical_user_id,
        {% if is_incremental() -%}
            previous_map.person_id as previous_person_id,
        {%- else -%}
            cast(null as {{ dbt.type_string() }}) as previous_person_id,
        {%- endif %}
        {{ run_seq() }} as changed_seq
    from mapped
    {% if is_incremental() -%}
        left join {{ this }} as previous_map
            on
                mapped.identifier_type = previous_map.identifier_type
                and mapped.identifier = previous_map.identifier
        where previous_map.person_id is distinct from mapped.person_id
    {%- endif %}

)

select * from final
