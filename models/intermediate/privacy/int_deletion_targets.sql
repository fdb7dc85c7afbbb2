{#-
    Identifiers of the persons to delete (SPEC §11): persons are found by stitching over
    every accepted event, before deletion, and a person any of whose user_ids or
    anonymous_ids is listed in `deletion_requests` is removed whole, whatever
    `requested_at` says. Transient: `int_privacy_purge` empties this table once it has
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

deleted_persons as (

    select distinct identities.person_id
    from identities
    inner join listed_identifiers
        on
            identities.identifier_type = listed_identifiers.identifier_type
            and identities.identifier = listed_identifiers.identifier

),

final as (

    select
        identities.identifier_type,
        identities.identifier,
        identities.person_id
    from identities
    inner join deleted_persons
        on identities.person_id = deleted_persons.person_id

)

select * from final
