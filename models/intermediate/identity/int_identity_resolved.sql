{{ config(materialized='view') }}

{#-
    Identity resolution (SPEC §4) over the accepted events that remain after deletion
    requests: one row per identifier with its canonical user and person_id. The rules are
    in the macro identities, which base_events__ledger also applies to find whole persons
    before deleting them.
-#}

with

events as (

    select
        event_id,
        event_type,
        user_id,
        anonymous_id,
        previous_id,
        occurred_at
    from {{ ref('stg_events') }}

),

user_merges as (

    select
        user_id,
        canonical_user_id
    from {{ ref('int_user_merges') }}

),

{{ identities('events', 'user_merges', 'resolved_') }},

final as (

    select
        identifier_type,
        identifier,
        canonical_user_id,
        person_id
    from resolved_identities

)

select * from final
