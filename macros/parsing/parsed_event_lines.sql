{#-
    SPEC §2-3: the raw lines of `lines` (a relation with file, line_number, raw_line and
    is_valid_utf8) parsed: every canonical field of SPEC §2 resolved, and the first reject
    reason of SPEC §3 (null for an accepted line). Emits CTE definitions for the calling
    model's `with` list, each named with `prefix`; the last one, <prefix>parsed_lines, has
    the columns file, line_number and parsed_event_columns(). Used by base_events__parsed (to test and inspect the rules) and by
    base_events__ledger, which parses exactly the lines it lands.
-#}
{% macro parsed_event_lines(lines, prefix) -%}
    {%- set paths = [
        '$.messageId', '$.message_id', '$.event_id', '$.id',
        '$.type', '$.event', '$.event_name',
        '$.userId', '$.user_id', '$.anonymousId', '$.anonymous_id', '$.device_id',
        '$.previousId', '$.previous_id',
        '$.receivedAt', '$.received_at', '$.timestamp',
        '$.originalTimestamp', '$.original_timestamp', '$.sentAt', '$.sent_at',
        '$.context.sessionId', '$.session_id', '$.properties.session_id',
        '$.context.page.url', '$.properties.url',
        '$.context.page.path', '$.properties.path',
        '$.context.page.referrer', '$.properties.referrer',
        '$.context.page.title', '$.properties.title',
        '$.context.campaign.source', '$.context.campaign.medium', '$.context.campaign.name',
        '$.context.campaign.term', '$.context.campaign.content',
        '$.context.userAgent', '$.context.ip', '$.context.locale', '$.context.device.type',
        '$.properties', '$.traits',
        '$.properties.order_id', '$.properties.orderId', '$.properties.transaction_id',
        '$.properties.experiment_name', '$.properties.variant',
    ] -%}
{{ prefix }}event_name_aliases as (

    select
        {{ normalize_event_name('raw_name') }} as raw_name,
        min(canonical_name) as canonical_name
    from {{ ref('event_name_aliases') }}
    group by 1

),

{{ prefix }}validated as (

    select
        file,
        line_number,
        raw_line,
        is_valid_utf8 and {{ is_strict_json_object('raw_line') }} as is_json_object
    from {{ lines }}

),

{{ prefix }}extracted as (

    select
        file,
        line_number,
        raw_line,
        is_json_object,
        case
            when is_json_object then {{ json_extract_paths('raw_line', paths) }}
        end as json_values
    from {{ prefix }}validated

),

{{ prefix }}scalars as (

    select
        file,
        line_number,
        raw_line,
        is_json_object,
        {{ json_scalar_text('json_values[1]', 'raw_line', 'messageId') }} as message_id_camel,
        {{ json_scalar_text('json_values[2]', 'raw_line', 'message_id') }} as message_id_snake,
        {{ json_scalar_text('json_values[3]', 'raw_line', 'event_id') }} as event_id_flat,
        {{ json_scalar_text('json_values[4]', 'raw_line', 'id') }} as id_field,
        {{ json_scalar_text('json_values[5]', 'raw_line', 'type') }} as type_text,
        {{ json_scalar_text('json_values[6]', 'raw_line', 'event') }} as event_field,
        {{ json_scalar_text('json_values[7]', 'raw_line', 'event_name') }} as event_name_field,
        {{ clean_identifier(json_scalar_text('json_values[8]', 'raw_line', 'userId')) }} as user_id_camel,
        {{ clean_identifier(json_scalar_text('json_values[9]', 'raw_line', 'user_id')) }} as user_id_snake,
        {{ clean_identifier(json_scalar_text('json_values[10]', 'raw_line', 'anonymousId')) }} as anonymous_id_camel,
        {{ clean_identifier(json_scalar_text('json_values[11]', 'raw_line', 'anonymous_id')) }} as anonymous_id_snake,
        {{ clean_identifier(json_scalar_text('json_values[12]', 'raw_line', 'device_id')) }} as device_id,
        {{ clean_identifier(json_scalar_text('json_values[13]', 'raw_line', 'previousId')) }} as previous_id_camel,
        {{ clean_identifier(json_scalar_text('json_values[14]', 'raw_line', 'previous_id')) }} as previous_id_snake,
        {{ json_scalar_text('json_values[15]') }} as received_at_camel_text,
        {{ json_scalar_text('json_values[16]') }} as received_at_snake_text,
        {{ json_scalar_text('json_values[17]') }} as timestamp_text,
        {{ json_scalar_text('json_values[18]') }} as original_timestamp_camel_text,
        {{ json_scalar_text('json_values[19]') }} as original_timestamp_snake_text,
        {{ json_scalar_text('json_values[20]') }} as sent_at_camel_text,
        {{ json_scalar_text('json_values[21]') }} as sent_at_snake_text,
        coalesce(
            {{ json_scalar_text('json_values[22]') }},
            {{ json_scalar_text('json_values[23]') }},
            {{ json_scalar_text('json_values[24]') }}
        ) as client_session_id,
        coalesce(
            {{ json_scalar_text('json_values[25]') }}, {{ json_scalar_text('json_values[26]') }}
        ) as page_url,
        coalesce(
            {{ json_scalar_text('json_values[27]') }}, {{ json_scalar_text('json_values[28]') }}
        ) as page_path_given,
        coalesce(
            {{ json_scalar_text('json_values[29]') }}, {{ json_scalar_text('json_values[30]') }}
        ) as page_referrer,
        coalesce(
            {{ json_scalar_text('json_values[31]') }}, {{ json_scalar_text('json_values[32]') }}
        ) as page_title,
        {{ json_scalar_text('json_values[33]', 'raw_line', 'source', nested=true) }} as campaign_source,
        {{ json_scalar_text('json_values[34]', 'raw_line', 'medium', nested=true) }} as campaign_medium,
        {{ json_scalar_text('json_values[35]', 'raw_line', 'name', nested=true) }} as campaign_name,
        {{ json_scalar_text('json_values[36]', 'raw_line', 'term', nested=true) }} as campaign_term,
        {{ json_scalar_text('json_values[37]', 'raw_line', 'content', nested=true) }} as campaign_content,
        {{ json_scalar_text('json_values[38]') }} as user_agent,
        {{ json_scalar_text('json_values[39]') }} as raw_ip,
        {{ json_scalar_text('json_values[40]') }} as locale,
        {{ lower_text(json_scalar_text('json_values[41]', 'raw_line', 'type', nested=true)) }} as context_device_type,
        case
            when {{ json_kind('json_values[42]') }} = 'object' then {{ json_text('json_values[42]') }}
        end as properties,
        case
            when {{ json_kind('json_values[43]') }} = 'object' then {{ json_text('json_values[43]') }}
        end as traits_object,
        coalesce(
            {{ json_scalar_text('json_values[44]', 'raw_line', 'order_id', nested=true) }},
            {{ json_scalar_text('json_values[45]', 'raw_line', 'orderId', nested=true) }},
            {{ json_scalar_text('json_values[46]', 'raw_line', 'transaction_id', nested=true) }}
        ) as order_key,
        {{ json_scalar_text('json_values[47]', 'raw_line', 'experiment_name', nested=true) }} as experiment_name,
        {{ json_scalar_text('json_values[48]', 'raw_line', 'variant', nested=true) }} as experiment_variant
    from {{ prefix }}extracted

),

{{ prefix }}resolved_names as (

    select
        *,
        coalesce(message_id_camel, message_id_snake, event_id_flat, id_field, md5(raw_line)) as event_id,
        coalesce({{ lower_text('type_text') }}, 'track') as event_type,
        {{ normalize_event_name('coalesce(event_field, event_name_field)') }} as track_event_name,
        coalesce(user_id_camel, user_id_snake) as user_id,
        coalesce(anonymous_id_camel, anonymous_id_snake, device_id) as anonymous_id,
        coalesce(previous_id_camel, previous_id_snake) as previous_id_candidate,
        coalesce(
            {{ parse_event_timestamp('received_at_camel_text') }},
            {{ parse_event_timestamp('received_at_snake_text') }}
        ) as received_at,
        {{ parse_event_timestamp('timestamp_text') }} as given_timestamp,
        coalesce(
            {{ parse_event_timestamp('original_timestamp_camel_text') }},
            {{ parse_event_timestamp('original_timestamp_snake_text') }}
        ) as original_timestamp,
        coalesce(
            {{ parse_event_timestamp('sent_at_camel_text') }},
            {{ parse_event_timestamp('sent_at_snake_text') }}
        ) as sent_at
    from {{ prefix }}scalars

),

{{ prefix }}resolved as (

    select
        {{ prefix }}resolved_names.*,
        case {{ prefix }}resolved_names.event_type
            when 'track' then coalesce({{ prefix }}event_name_aliases.canonical_name, {{ prefix }}resolved_names.track_event_name)
            when 'page' then 'page_viewed'
            when 'screen' then 'screen_viewed'
            else {{ prefix }}resolved_names.event_type
        end as event_name,
        case when {{ prefix }}resolved_names.event_type = 'alias' then {{ prefix }}resolved_names.previous_id_candidate end as previous_id,
        coalesce(
            {{ prefix }}resolved_names.given_timestamp,
            {{ prefix }}resolved_names.received_at + ({{ prefix }}resolved_names.original_timestamp - {{ prefix }}resolved_names.sent_at),
            {{ prefix }}resolved_names.original_timestamp,
            {{ prefix }}resolved_names.received_at
        ) as occurred_at
    from {{ prefix }}resolved_names
    left join {{ prefix }}event_name_aliases
        on {{ prefix }}resolved_names.track_event_name = {{ prefix }}event_name_aliases.raw_name

),

{{ prefix }}judged as (

    select
        *,
        case
            when not is_json_object then 'invalid_json'
            when event_type not in ('track', 'page', 'screen', 'identify', 'alias', 'group') then 'unknown_type'
            when event_type = 'track' and event_name is null then 'missing_event_name'
            when event_type = 'alias' and (previous_id is null or user_id is null) then 'missing_identity'
            when user_id is null and anonymous_id is null then 'missing_identity'
            when occurred_at is null then 'missing_timestamp'
            when occurred_at < cast('{{ var("min_event_date") }}' as timestamp) then 'timestamp_out_of_range'
            when {{ epoch_microseconds('occurred_at') }}
                > {{ epoch_microseconds('received_at') }} + {{ var('max_future_skew_hours') }} * 3600000000
                then 'timestamp_out_of_range'
        end as reject_reason
    from {{ prefix }}resolved

),

{{ prefix }}parsed_lines as (

    select
        file,
        line_number,
        raw_line,
        reject_reason,
        event_id,
        event_type,
        event_name,
        user_id,
        anonymous_id,
        previous_id,
        occurred_at,
        received_at,
        client_session_id,
        page_url,
        coalesce(page_path_given, {{ url_path('page_url') }}) as page_path,
        page_referrer as referrer,
        {{ url_host('page_referrer') }} as referrer_host,
        page_title,
        coalesce(campaign_source, {{ url_query_parameter('page_url', 'utm_source') }}) as utm_source,
        coalesce(campaign_medium, {{ url_query_parameter('page_url', 'utm_medium') }}) as utm_medium,
        coalesce(campaign_name, {{ url_query_parameter('page_url', 'utm_campaign') }}) as utm_campaign,
        coalesce(campaign_term, {{ url_query_parameter('page_url', 'utm_term') }}) as utm_term,
        coalesce(campaign_content, {{ url_query_parameter('page_url', 'utm_content') }}) as utm_content,
        user_agent,
        {{ truncate_ip('raw_ip') }} as ip_truncated,
        locale,
        context_device_type,
        properties,
        case when event_type = 'identify' then traits_object end as traits,
        order_key,
        experiment_name,
        experiment_variant
    from {{ prefix }}judged

)
{%- endmacro %}
