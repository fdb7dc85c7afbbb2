{{
    config(
        materialized='incremental',
        incremental_strategy='append',
    )
}}

{#-
    Tombstones of deleted identifiers (SPEC §11, §9): a SHA-256 token per user_id and
    anonymous_id of every person removed by a deletion request, never the identifier
    itself. Written by the post-hook of int_privacy_purge; this model only creates the
    table. Later runs use the tombstones so that events of a deleted person arriving in
    a later file are removed as a full rebuild would remove them, even though the events
    that tied them to the listed id are gone.
-#}

select
    cast(null as {{ dbt.type_string() }}) as identifier_type,
    cast(null as {{ dbt.type_string() }}) as identifier_token,
    cast(null as {{ dbt.type_bigint() }}) as purge_seq
where 1 = 0
