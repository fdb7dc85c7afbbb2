{{
    config(
        materialized='incremental',
        incremental_strategy='rebuild',
        unique_key=['file', 'line_number'],
        **product_analytics.partitioning('_landed_run_seq'),
    )
}}

{#-
    The ledger of landed raw lines (SPEC §2, §3, §11): one row per non-blank physical line
    ever landed, and its outcome, line_status: accepted (the kept line of its event_id),
    duplicate, rejected (with reject_reason) or deleted. It is the only table that holds
    raw events; stg_events and stg_events_rejected are views over it.

    Each run lands what it has not landed before: the lines of new files, and the new
    lines of files that grew (their first bytes unchanged; an unterminated last line is
    landed again). A file that cannot be read to its end, a landed file that shrank or was
    rewritten, and a new file whose bytes equal a landed file's are not landed
    (fct_ingestion_files names them). Duplicates are decided again for the event_ids of
    the new lines, against every line landed with that id.

    Deletion requests are applied here, before anything is stored (SPEC §11): persons are
    found by stitching over every accepted event, resolving identity over the identifiers
    connected to a listed id (or to a deleted identifier seen again); every line of a
    person found is then kept only as a `deleted` row: its position and the SHA-256 tokens
    of the person's identifiers it carried (int_deleted_identifiers), nothing of its text. Rejected lines holding a listed id as a JSON string are deleted
    too. Every model downstream reads the ledger through ref, so each build applies
    deletions before any model uses the events.

    On an incremental run only the rows that change are written (new lines, lines whose
    outcome changed, lines deleted); strategy `rebuild` replaces them by key.
-#}

{%- set run_seq = run_seq() %}
{%- set event_columns = product_analytics.parsed_event_columns() %}

with recursive

listed_files as (

    select
        file,
        file_size_bytes,
        file_modified_at
    from {{ ref('base_events__files') }}

),

requests as (

    select
        user_id,
        anonymous_id
    from {{ ref('stg_deletion_requests') }}

),

{% if is_incremental() -%}
    previous_lines as (

        select * from {{ this }}

    ),
{%- else -%}
    previous_lines as (

        {#- a full build starts from an empty ledger: the ledger's columns, no row -#}
        select
            cast(null as {{ dbt.type_string() }}) as file,
            cast(null as {{ dbt.type_bigint() }}) as line_number,
            cast(null as {{ dbt.type_string() }}) as line_status,
            {%- for column, column_type in product_analytics.parsed_event_column_types().items() %}
                cast(null as {{ column_type }}) as {{ column }},
            {%- endfor %}
            cast(null as {{ dbt.type_bigint() }}) as duplicate_count,
            cast(null as {{ dbt.type_bigint() }}) as _file_size_bytes,
            cast(null as {{ dbt.type_timestamp() }}) as _file_modified_at,
            cast(null as {{ dbt.type_string() }}) as _file_fingerprint,
            cast(null as {{ dbt.type_boolean() }}) as _file_ends_with_newline,
            cast(null as {{ dbt.type_bigint() }}) as _landed_run_seq,
            cast(null as {{ dbt.type_bigint() }}) as _run_seq,
            cast(null as {{ dbt.type_string() }}) as _user_id_token,
            cast(null as {{ dbt.type_boolean() }}) as _user_id_was_merged,
            cast(null as {{ dbt.type_string() }}) as _anonymous_id_token
        where 1 = 0

    ),
{%- endif %}

landed_files as (

    {#- what earlier runs landed of each file: the file as it was at its latest landing -#}
    select
        file,
        max(_file_size_bytes) as landed_size_bytes,
        max_by(_file_fingerprint, _file_size_bytes) as landed_fingerprint,
        max_by(_file_ends_with_newline, _file_size_bytes) as landed_ends_with_newline,
        max(line_number) as last_landed_line_number
    from previous_lines
    group by file

),

files_to_read as (

    {#- new files, and landed files that grew with their first bytes unchanged -#}
    select
        listed_files.file,
        listed_files.file_modified_at,
        landed_files.file is null as is_new,
        landed_files.last_landed_line_number,
        landed_files.landed_ends_with_newline
    from listed_files
    left join landed_files
        on listed_files.file = landed_files.file
    where
        landed_files.file is null
        or (
            listed_files.file_size_bytes > landed_files.landed_size_bytes
            and {{ event_file_prefix_fingerprint('listed_files.file', 'landed_files.landed_size_bytes') }}
            = landed_files.landed_fingerprint
        )

),

lines_read as (

    select
        file,
        line_number,
        physical_line,
        is_valid_utf8,
        file_size_bytes,
        file_fingerprint,
        file_ends_with_newline,
        file_read_error
    from {{ event_file_lines('files_to_read') }}

),

file_reads as (

    {#- one row per file read, with its facts; a file that changed while it was read has two fingerprints -#}
    select
        file,
        max(file_size_bytes) as file_size_bytes,
        min(file_fingerprint) as file_fingerprint,
        count(distinct file_fingerprint) as versions_read,
        max(file_read_error) as file_read_error,
        bool_or(file_ends_with_newline) as file_ends_with_newline
    from lines_read
    group by file

),

last_lines_read_again as (

    {#-
        the last landed line of a grown file that did not end with a newline, as it reads
        now: a rejected one (a line cut short while it was written) is landed again; an
        accepted one whose text changed means the landed part of the file changed
    -#}
    select
        previous_lines.file,
        previous_lines.line_status,
        {{ is_same_value('previous_lines.raw_line', without_trailing_carriage_return('lines_read.physical_line')) }}
            as is_unchanged
    from files_to_read
    inner join previous_lines
        on
            files_to_read.file = previous_lines.file
            and files_to_read.last_landed_line_number = previous_lines.line_number
    left join lines_read
        on
            previous_lines.file = lines_read.file
            and previous_lines.line_number = lines_read.line_number
    where not files_to_read.is_new and not files_to_read.landed_ends_with_newline

),

files_landed as (

    {#-
        files read to their end. A new file whose bytes equal a landed file's (a copy or a
        rename) is not landed, nor a grown file whose landed last line changed.
    -#}
    select
        files_to_read.file,
        files_to_read.file_modified_at,
        files_to_read.is_new,
        files_to_read.last_landed_line_number,
        coalesce(last_lines_read_again.line_status = 'rejected', false) as lands_last_line_again,
        file_reads.file_size_bytes,
        file_reads.file_fingerprint,
        file_reads.file_ends_with_newline
    from files_to_read
    inner join file_reads
        on files_to_read.file = file_reads.file
    left join landed_files as same_content
        on
            files_to_read.is_new
            and file_reads.file_fingerprint = same_content.landed_fingerprint
    left join last_lines_read_again
        on files_to_read.file = last_lines_read_again.file
    where
        file_reads.file_read_error is null
        and file_reads.versions_read = 1
        and same_content.file is null
        and (
            last_lines_read_again.file is null
            or last_lines_read_again.line_status in ('rejected', 'deleted')
            or last_lines_read_again.is_unchanged
        )

),

new_lines as (

    {#- a grown file lands its lines after the last landed one (and that one again when it was a rejected, unterminated line) -#}
    select
        lines_read.file,
        lines_read.line_number,
        {{ without_trailing_carriage_return('lines_read.physical_line') }} as raw_line,
        lines_read.is_valid_utf8
    from lines_read
    inner join files_landed
        on lines_read.file = files_landed.file
    where
        lines_read.line_number is not null
        and not {{ is_blank_line('lines_read.physical_line') }}
        and (
            files_landed.is_new
            or lines_read.line_number > files_landed.last_landed_line_number
            or (
                lines_read.line_number = files_landed.last_landed_line_number
                and files_landed.lands_last_line_again
            )
        )

),

{{ parsed_event_lines('new_lines', 'new_') }},

parsed_new_lines as (

    select
        new_parsed_lines.*,
        files_landed.file_size_bytes as _file_size_bytes,
        files_landed.file_modified_at as _file_modified_at,
        files_landed.file_fingerprint as _file_fingerprint,
        files_landed.file_ends_with_newline as _file_ends_with_newline,
        cast({{ run_seq }} as {{ dbt.type_bigint() }}) as _landed_run_seq
    from new_parsed_lines
    inner join files_landed
        on new_parsed_lines.file = files_landed.file

),

replaced_lines as (

    {#- landed lines landed again (the unterminated last line of a file that grew) -#}
    select previous_lines.*
    from previous_lines
    inner join new_lines
        on
            previous_lines.file = new_lines.file
            and previous_lines.line_number = new_lines.line_number

),

kept_previous_lines as (

    select previous_lines.*
    from previous_lines
    left join new_lines
        on
            previous_lines.file = new_lines.file
            and previous_lines.line_number = new_lines.line_number
    where
        new_lines.file is null
        and previous_lines.line_status != 'deleted'

),

redecided_event_ids as (

    {#- SPEC §3: duplicates are decided again for every event_id a run brings or takes away -#}
    select event_id from parsed_new_lines
    where reject_reason is null

    union

    select event_id from replaced_lines
    where line_status in ('accepted', 'duplicate')

),

duplicate_candidates as (

    select
        parsed_new_lines.*,
        true as is_new_line
    from parsed_new_lines
    where reject_reason is null

    union all

    select
        kept_previous_lines.file,
        kept_previous_lines.line_number,
        {%- for column in event_columns %}
            kept_previous_lines.{{ column }},
        {%- endfor %}
        kept_previous_lines._file_size_bytes,
        kept_previous_lines._file_modified_at,
        kept_previous_lines._file_fingerprint,
        kept_previous_lines._file_ends_with_newline,
        kept_previous_lines._landed_run_seq,
        false as is_new_line
    from kept_previous_lines
    inner join redecided_event_ids
        on kept_previous_lines.event_id = redecided_event_ids.event_id
    where kept_previous_lines.line_status in ('accepted', 'duplicate')

),

duplicates_decided as (

    {#- the kept line: earliest received_at (null last), then smallest raw text in byte order -#}
    select
        *,
        case
            when row_number() over (
                    partition by event_id
                    order by received_at asc nulls last, raw_line asc, file asc, line_number asc
                ) = 1
                then 'accepted'
            else 'duplicate'
        end as line_status,
        count(*) over (partition by event_id) - 1 as event_duplicate_count
    from duplicate_candidates

),

events_before_deletion as (

    {#- every accepted event after this run's lines, before deletion requests -#}
    select
        event_id,
        event_type,
        user_id,
        anonymous_id,
        previous_id,
        occurred_at
    from kept_previous_lines
    where
        line_status = 'accepted'
        and event_id not in (select redecided_event_ids.event_id from redecided_event_ids)

    union all

    select
        event_id,
        event_type,
        user_id,
        anonymous_id,
        previous_id,
        occurred_at
    from duplicates_decided
    where line_status = 'accepted'

),

tombstones as (

    {#- SHA-256 tokens of identifiers deleted by earlier runs -#}
    select distinct
        case when _user_id_was_merged then 'merged_user_id' else 'user_id' end as identifier_type,
        _user_id_token as identifier_token
    from previous_lines
    where line_status = 'deleted' and _user_id_token is not null

    union

    select distinct
        'anonymous_id' as identifier_type,
        _anonymous_id_token as identifier_token
    from previous_lines
    where line_status = 'deleted' and _anonymous_id_token is not null

),

event_identifiers as (

    select
        event_id,
        user_id as identifier
    from events_before_deletion
    where user_id is not null

    union all

    select
        event_id,
        anonymous_id as identifier
    from events_before_deletion
    where anonymous_id is not null

    union all

    select
        event_id,
        previous_id as identifier
    from events_before_deletion
    where previous_id is not null

),

changed_event_identifiers as (

    {#- identifiers on the events this run brought or decided again, with their tokens -#}
    select
        'user_id' as identifier_type,
        user_id as identifier
    from duplicates_decided
    where line_status = 'accepted' and user_id is not null

    union

    select
        'user_id' as identifier_type,
        previous_id as identifier
    from duplicates_decided
    where line_status = 'accepted' and previous_id is not null

    union

    select
        'anonymous_id' as identifier_type,
        anonymous_id as identifier
    from duplicates_decided
    where line_status = 'accepted' and anonymous_id is not null

    union

    select
        'anonymous_id' as identifier_type,
        previous_id as identifier
    from duplicates_decided
    where line_status = 'accepted' and previous_id is not null

),

deletion_seeds as (

    {#- listed ids on accepted events, and deleted identifiers seen again -#}
    select listed.identifier
    from (
        select user_id as identifier from requests
        where user_id is not null
        union
        select anonymous_id as identifier from requests
        where anonymous_id is not null
    ) as listed
    inner join event_identifiers
        on listed.identifier = event_identifiers.identifier

    union

    select changed_event_identifiers.identifier
    from changed_event_identifiers
    inner join tombstones
        on
            {{ identifier_tombstone('changed_event_identifiers.identifier_type', 'changed_event_identifiers.identifier') }}
            = tombstones.identifier_token
    where (select count(any_tombstones.identifier_token) from tombstones as any_tombstones) > 0

),

{{ identifier_component('deletion_seeds', 'event_identifiers', 'deletion_') }},

component_events as (

    select distinct events_before_deletion.*
    from events_before_deletion
    inner join event_identifiers
        on events_before_deletion.event_id = event_identifiers.event_id
    inner join deletion_component
        on event_identifiers.identifier = deletion_component.identifier

),

{#- SPEC §11: persons found by stitching over all accepted events, before deletion -#}
{{ alias_merges('component_events', 'tombstones', 'component_') }},

{{ identities('component_events', 'component_merges', 'component_') }},

tombstoned_identities as (

    select component_identities.*
    from component_identities
    inner join tombstones
        on
            component_identities.identifier_type
            = case when tombstones.identifier_type = 'merged_user_id' then 'user_id' else tombstones.identifier_type end
            and {{ identifier_tombstone('component_identities.identifier_type', 'component_identities.identifier') }}
            = tombstones.identifier_token

),

deleted_persons as (

    {#- persons holding a listed id, or a user_id of a person deleted earlier -#}
    select component_identities.person_id
    from component_identities
    inner join requests
        on
            (component_identities.identifier_type = 'user_id' and component_identities.identifier = requests.user_id)
            or (
                component_identities.identifier_type = 'anonymous_id'
                and component_identities.identifier = requests.anonymous_id
            )

    union

    select person_id
    from tombstoned_identities
    where identifier_type = 'user_id'

),

deleted_identifiers as (

    {#- every identifier of a person removed whole -#}
    select
        component_identities.identifier_type,
        component_identities.identifier,
        component_identities.person_id,
        component_merges.user_id is not null as is_merged_user
    from component_identities
    inner join deleted_persons
        on component_identities.person_id = deleted_persons.person_id
    left join component_merges
        on
            component_identities.identifier_type = 'user_id'
            and component_identities.identifier = component_merges.user_id

),

orphaned_anonymous_ids as (

    {#-
        an anonymous_id of a person deleted earlier, now linked to a remaining user: its
        events without a user_id still belong to the deleted person (its first link then),
        so they go; the id itself now belongs to the remaining user
    -#}
    select
        tombstoned_identities.identifier,
        tombstoned_identities.person_id
    from tombstoned_identities
    left join deleted_identifiers
        on
            tombstoned_identities.identifier_type = deleted_identifiers.identifier_type
            and tombstoned_identities.identifier = deleted_identifiers.identifier
    where
        tombstoned_identities.identifier_type = 'anonymous_id'
        and deleted_identifiers.identifier is null

),

deleted_events as (

    select
        component_events.event_id,
        deleted_users.identifier as deleted_user_id,
        deleted_users.is_merged_user,
        deleted_anonymous_ids.identifier as deleted_anonymous_id
    from component_events
    left join deleted_identifiers as deleted_users
        on
            deleted_users.identifier_type = 'user_id'
            and component_events.user_id = deleted_users.identifier
    left join deleted_identifiers as deleted_anonymous_ids
        on
            deleted_anonymous_ids.identifier_type = 'anonymous_id'
            and component_events.anonymous_id = deleted_anonymous_ids.identifier
    left join orphaned_anonymous_ids
        on component_events.anonymous_id = orphaned_anonymous_ids.identifier
    where
        deleted_users.identifier is not null
        or (
            component_events.user_id is null
            and (deleted_anonymous_ids.identifier is not null or orphaned_anonymous_ids.identifier is not null)
        )

),

lines_before_deletion as (

    {#- every line this run writes or may delete, with its outcome before deletion requests -#}
    select
        parsed_new_lines.file,
        parsed_new_lines.line_number,
        {%- for column in event_columns %}
            parsed_new_lines.{{ column }},
        {%- endfor %}
        'rejected' as line_status,
        cast(0 as {{ dbt.type_bigint() }}) as duplicate_count,
        parsed_new_lines._file_size_bytes,
        parsed_new_lines._file_modified_at,
        parsed_new_lines._file_fingerprint,
        parsed_new_lines._file_ends_with_newline,
        parsed_new_lines._landed_run_seq,
        true as is_changed
    from parsed_new_lines
    where reject_reason is not null

    union all

    select
        duplicates_decided.file,
        duplicates_decided.line_number,
        {%- for column in event_columns %}
            duplicates_decided.{{ column }},
        {%- endfor %}
        duplicates_decided.line_status,
        case when duplicates_decided.line_status = 'accepted' then duplicates_decided.event_duplicate_count else 0 end
            as duplicate_count,
        duplicates_decided._file_size_bytes,
        duplicates_decided._file_modified_at,
        duplicates_decided._file_fingerprint,
        duplicates_decided._file_ends_with_newline,
        duplicates_decided._landed_run_seq,
        true as is_changed
    from duplicates_decided

    union all

    {# landed lines of deleted events, or rejected lines naming a listed id: they may be deleted now #}
    select
        kept_previous_lines.file,
        kept_previous_lines.line_number,
        {%- for column in event_columns %}
            kept_previous_lines.{{ column }},
        {%- endfor %}
        kept_previous_lines.line_status,
        kept_previous_lines.duplicate_count,
        kept_previous_lines._file_size_bytes,
        kept_previous_lines._file_modified_at,
        kept_previous_lines._file_fingerprint,
        kept_previous_lines._file_ends_with_newline,
        kept_previous_lines._landed_run_seq,
        false as is_changed
    from kept_previous_lines
    left join redecided_event_ids
        on kept_previous_lines.event_id = redecided_event_ids.event_id
    where
        redecided_event_ids.event_id is null
        and (
            kept_previous_lines.event_id in (select deleted_events.event_id from deleted_events)
            or (
                kept_previous_lines.line_status = 'rejected'
                and {{ mentions_deletion_request('kept_previous_lines.raw_line', 'requests') }}
            )
        )

),

lines_judged as (

    select
        lines_before_deletion.*,
        case
            when lines_before_deletion.line_status in ('accepted', 'duplicate')
                then deleted_events.event_id is not null
            else {{ mentions_deletion_request('lines_before_deletion.raw_line', 'requests') }}
        end as is_deleted,
        deleted_events.deleted_user_id,
        deleted_events.is_merged_user,
        deleted_events.deleted_anonymous_id
    from lines_before_deletion
    left join deleted_events
        on
            lines_before_deletion.event_id = deleted_events.event_id
            and lines_before_deletion.line_status in ('accepted', 'duplicate')

),

final as (

    {#- a deleted line keeps its position and, on its event's kept line, the tokens of the deleted identifiers it carried -#}
    select
        file,
        line_number,
        case when is_deleted then 'deleted' else line_status end as line_status,
        {%- for column in event_columns %}
            case when not is_deleted then {{ column }} end as {{ column }},
        {%- endfor %}
        case when not is_deleted then duplicate_count end as duplicate_count,
        _file_size_bytes,
        _file_modified_at,
        _file_fingerprint,
        _file_ends_with_newline,
        _landed_run_seq,
        cast({{ run_seq }} as {{ dbt.type_bigint() }}) as _run_seq,
        case
            when is_deleted and line_status = 'accepted' and deleted_user_id is not null
                then {{ identifier_tombstone("'user_id'", 'deleted_user_id') }}
        end as _user_id_token,
        case when is_deleted and line_status = 'accepted' then coalesce(is_merged_user, false) end
            as _user_id_was_merged,
        case
            when is_deleted and line_status = 'accepted' and deleted_anonymous_id is not null
                then {{ identifier_tombstone("'anonymous_id'", 'deleted_anonymous_id') }}
        end as _anonymous_id_token
    from lines_judged
    where is_changed or is_deleted

)

select * from final
