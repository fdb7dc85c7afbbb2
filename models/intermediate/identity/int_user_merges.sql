{#-
    Alias merges between user ids (SPEC §4) over the accepted events that remain after
    deletion requests: one row per merged user_id with its canonical (root) user_id. The
    rules are in the macro alias_merges, which base_events__ledger also applies to find
    whole persons before deleting them.
-#}

with recursive

events as (

    select
        event_id,
        event_type,
        user_id,
        previous_id,
        occurred_at
    from {{ ref('stg_events') }}

),

tombstones as (

    select
        identifier_type,
        identifier_token
    from {{ ref('int_deleted_identifiers') }}

),

{{ alias_merges('events', 'tombstones', 'alias_') }},

final as (

    select
        user_id,
        canonical_user_id
    from alias_merges

)

select * from final
