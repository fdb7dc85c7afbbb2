{#-
    Identifiers of the persons to delete (SPEC §11): persons are found by stitching over
    every accepted event, before deletion, and a person any of whose user_ids or
    anonymous_ids is listed in `deletion_requests` is removed whole, whatever
    `requested_at` says; so is a person holding a user_id tombstoned by an earlier
    deletion (int_deleted_identifiers). Rows with is_whole_person false are anonymous_ids
    tombstoned earlier that now belong to a remaining user: only their events without a
    user_id are removed. Transient: `int_privacy_purge` empties this table once it has
    removed them, so no identifier of theirs outlives the build.
-#}

with

requests as (

    select
        user_id,
        anonymous_id
    from {{ ref('deletion_requests') }}

),

identities as (

    select
        identifier_type,
        identifier,
        person_id
    from {{ ref('int_identity_resolved') }}

),

listed_identifiers as (

    select
        'user_id' as identifier_type,
        {{ trim_text('user_id') }} as identifier
    from requests

    union

    select
        'anonymous_id' as identifier_type,
        {{ trim_text('anonymous_id') }} as identifier
    from requests

),

tombstones as (

    select
        identifier_type,
        identifier_token
    from {{ ref('int_deleted_identifiers') }}

),

tombstoned_identities as (

    select
        identities.identifier_type,
        identities.identifier,
        identities.person_id
    from identities
    inner join tombstones
        on
            identities.identifier_type
            = case when tombstones.identifier_type = 'merged_user_id' then 'user_id' else tombstones.identifier_type end
            and {{ identifier_tombstone('identities.identifier_type', 'identities.identifier') }}
            = tombstones.identifier_token

),

deleted_persons as (

    {#- persons holding a listed id, or a user_id of a person deleted earlier -#}
    select identities.person_id
    from identities
    inner join listed_identifiers
        on
            identities.identifier_type = listed_identifiers.identifier_type
            and identities.identifier = listed_identifiers.identifier

    union

    select person_id
    from tombstoned_identities
    where identifier_type = 'user_id'

),

whole_persons as (

    select
        identities.identifier_type,
        identities.identifier,
        identities.person_id,
        true as is_whole_person
    from identities
    inner join deleted_persons
        on identities.person_id = deleted_persons.person_id

),

tombstoned_anonymous_ids as (

    {#-
        an anonymous_id of a person deleted earlier, now linked to a remaining user: its
        events without a user_id still belong to the deleted person (its first link), so
        they go; the id itself now belongs to the remaining user
    -#}
    select
        tombstoned_identities.identifier_type,
        tombstoned_identities.identifier,
        tombstoned_identities.person_id,
        false as is_whole_person
    from tombstoned_identities
    left join whole_persons
        on
            tombstoned_identities.identifier_type = whole_persons.identifier_type
            and tombstoned_identities.identifier = whole_persons.identifier
    where
        tombstoned_identities.identifier_type = 'anonymous_id'
        and whole_persons.identifier is null

),

final as (

    select * from whole_persons
    union all
    select * from tombstoned_anonymous_ids

)

select * from final
