{{ config(materialized='view') }}

{#-
    Tombstones of deleted identifiers (SPEC §11, §9): one SHA-256 token
    (sha256('deleted:' || type || ':' || identifier)) per user_id and anonymous_id of every
    person a deletion request removed, never the identifier itself, read from the deleted
    rows of base_events__ledger. A deleted user_id that had been merged into another by an
    alias has type merged_user_id: it keeps its alias slot taken. Identity resolution uses
    them so that a deleted person's events arriving in later files are removed, and alias
    slots behave, as a full rebuild over the same files would.
-#}

with

deleted_lines as (

    select
        _user_id_token,
        _user_id_was_merged,
        _anonymous_id_token
    from {{ ref('base_events__ledger') }}
    where line_status = 'deleted'

),

tokens as (

    select distinct
        case when _user_id_was_merged then 'merged_user_id' else 'user_id' end as identifier_type,
        _user_id_token as identifier_token
    from deleted_lines
    where _user_id_token is not null

    union

    select distinct
        'anonymous_id' as identifier_type,
        _anonymous_id_token as identifier_token
    from deleted_lines
    where _anonymous_id_token is not null

)

select * from tokens
