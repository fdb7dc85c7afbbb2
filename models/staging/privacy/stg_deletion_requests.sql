{{ config(materialized='view') }}

{#-
    The deletion requests of seeds/deletion_requests.csv (SPEC §11): user_ids and
    anonymous_ids of persons to forget, trimmed (blank means absent). A view over the CSV
    file, read when the build runs: the listed identifiers are never stored in the
    warehouse, so that after the build no byte of it names a deleted person. Edit the file
    and run `dbt build`.
-#}

with

requests as (

    select
        {{ trim_text('user_id') }} as user_id,
        {{ trim_text('anonymous_id') }} as anonymous_id,
        {{ trim_text('requested_at') }} as requested_at
    from {{ seed_file('deletion_requests') }}

)

select * from requests
