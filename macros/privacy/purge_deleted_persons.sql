{#- SQL boolean: the event with these ids belongs to a person in `targets` (identifier_type, identifier): its user_id is a target, or it has no user_id and its anonymous_id is one. -#}
{% macro is_deleted_event(user_id, anonymous_id, targets) -%}
    (
        {{ user_id }} in (select identifier from {{ targets }} where identifier_type = 'user_id')
        or (
            {{ user_id }} is null
            and {{ anonymous_id }} in (select identifier from {{ targets }} where identifier_type = 'anonymous_id')
        )
    )
{%- endmacro %}

{#- SQL boolean: `raw_line` holds a user_id or anonymous_id of `requests` as a JSON string ("<id>"). -#}
{% macro mentions_deletion_request(raw_line, requests) -%}
    exists (
        select 1
        from {{ requests }} as listed
        where
            (
                nullif(trim(listed.user_id), '') is not null
                and strpos({{ raw_line }}, '"' || trim(listed.user_id) || '"') > 0
            )
            or (
                nullif(trim(listed.anonymous_id), '') is not null
                and strpos({{ raw_line }}, '"' || trim(listed.anonymous_id) || '"') > 0
            )
    )
{%- endmacro %}

{#-
    Post-hook of int_privacy_purge: remove every row of the persons in int_deletion_targets
    from the tables built before it, then empty int_deletion_targets. Person-level models
    are found in the graph (every model whose pre-hook is delete_touched_persons), so a new
    one is covered without editing this list.
-#}
{% macro purge_deleted_persons() -%}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set targets = ref('int_deletion_targets') -%}
    {%- set requests = ref('deletion_requests') -%}
    {%- set stitched = adapter.get_relation(this.database, this.schema, 'int_events_stitched') -%}
    {%- set statements = [] -%}

    {#- person-level tables: by person_id, both the persons found now and those their events had before -#}
    {%- set person_tables = [] -%}
    {%- for node in graph.nodes.values() if node.resource_type == 'model' -%}
        {%- set hooks = node.config.get('pre-hook', []) | map(attribute='sql') | join(' ') -%}
        {%- if 'delete_touched_persons' in hooks or node.name == 'int_person_changes' -%}
            {%- set relation = adapter.get_relation(this.database, this.schema, node.alias or node.name) -%}
            {%- if relation is not none -%}{%- do person_tables.append(relation) -%}{%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for relation in person_tables -%}
        {%- set persons -%}
            select person_id from {{ targets }} where is_whole_person
            {%- if stitched is not none %}
            union
            select person_id from {{ stitched }}
            where {{ is_deleted_event('user_id', 'anonymous_id', targets) }}
            {%- endif %}
        {%- endset -%}
        {%- do statements.append('delete from ' ~ relation ~ ' where person_id in (' ~ persons ~ ')') -%}
    {%- endfor -%}

    {%- if stitched is not none -%}
        {%- do statements.append('delete from ' ~ stitched ~ ' where '
            ~ is_deleted_event('user_id', 'anonymous_id', targets)) -%}
    {%- endif -%}
    {%- set identity_map = adapter.get_relation(this.database, this.schema, 'int_identity_map') -%}
    {%- if identity_map is not none -%}
        {%- do statements.append('delete from ' ~ identity_map ~ ' where exists (select 1 from ' ~ targets
            ~ ' as targets where targets.is_whole_person and targets.identifier_type = ' ~ identity_map ~ '.identifier_type'
            ~ ' and targets.identifier = ' ~ identity_map ~ '.identifier)') -%}
    {%- endif -%}
    {#- tombstones: a token per identifier of each person removed whole, so later files of theirs go too; a user id that had been merged into another is marked, its alias slot stays taken -#}
    {%- set tombstones = ref('int_deleted_identifiers') -%}
    {%- do statements.append('insert into ' ~ tombstones ~ ' (identifier_type, identifier_token, purge_seq)'
        ~ ' select distinct case when identifier_type = ' ~ "'user_id'" ~ ' and identifier in (select user_id from '
        ~ ref('int_user_merges') ~ ') then ' ~ "'merged_user_id'" ~ ' else identifier_type end, '
        ~ identifier_tombstone('identifier_type', 'identifier')
        ~ ', ' ~ run_seq() ~ ' from ' ~ targets
        ~ ' where is_whole_person and ' ~ identifier_tombstone('identifier_type', 'identifier')
        ~ ' not in (select identifier_token from ' ~ tombstones ~ ')') -%}

    {%- do statements.append('delete from ' ~ ref('int_user_merges')
        ~ ' where user_id in (select identifier from ' ~ targets ~ " where identifier_type = 'user_id')"
        ~ ' or canonical_user_id in (select identifier from ' ~ targets ~ " where identifier_type = 'user_id')") -%}
    {#- landed and parsed lines: every line of a deleted event (duplicates included), and rejected lines naming a listed id -#}
    {%- set parsed = ref('base_events__parsed') -%}
    {%- set deleted_event_ids -%}
        select event_id from {{ ref('stg_events') }}
        where {{ is_deleted_event('user_id', 'anonymous_id', targets) }}
    {%- endset -%}
    {%- set doomed_lines -%}
        select file, line_number from {{ parsed }}
        where
            (reject_reason is null and event_id in ({{ deleted_event_ids }}))
            or (reject_reason is not null and {{ mentions_deletion_request('raw_line', requests) }})
    {%- endset -%}
    {%- do statements.append('delete from ' ~ ref('base_events__lines') ~ ' as landed where exists (select 1 from ('
        ~ doomed_lines ~ ') as doomed where doomed.file = landed.file and doomed.line_number = landed.line_number)') -%}
    {%- do statements.append('delete from ' ~ ref('stg_events_rejected') ~ ' where '
        ~ mentions_deletion_request('raw_line', requests)) -%}
    {%- do statements.append('delete from ' ~ parsed ~ ' where (reject_reason is null and event_id in ('
        ~ deleted_event_ids ~ ')) or (reject_reason is not null and '
        ~ mentions_deletion_request('raw_line', requests) ~ ')') -%}
    {%- do statements.append('delete from ' ~ ref('stg_events') ~ ' where '
        ~ is_deleted_event('user_id', 'anonymous_id', targets)) -%}
    {%- do statements.append('delete from ' ~ targets) -%}
    {{ return(statements | join(';\n')) }}
{%- endmacro %}
