{#- SPEC §11: the raw IP never leaves staging. IPv4 keeps its first three octets (the last set to 0); IPv6 becomes its /48 network in compressed form (2001:db8:85a3::; a zone id such as %eth0 is dropped); anything else is null, including IPv4 octets with leading zeros (they may be octal) and an invalid embedded IPv4. Pass a column name: the text is read several times. -#}
{% macro truncate_ip(ip) -%}
    {{ return(adapter.dispatch('truncate_ip', 'product_analytics')(ip)) }}
{%- endmacro %}

{% macro default__truncate_ip(ip) -%}
    {{ product_analytics.no_portable_default('truncate_ip') }}
{%- endmacro %}

{% macro duckdb__truncate_ip(ip) -%}
    case
        when regexp_full_match({{ ip }}, '(0|[1-9][0-9]{0,2})[.](0|[1-9][0-9]{0,2})[.](0|[1-9][0-9]{0,2})[.](0|[1-9][0-9]{0,2})')
            then case
                when list_bool_and(list_transform(string_split({{ ip }}, '.'), octet -> octet::integer <= 255))
                    then array_to_string(
                        list_transform(string_split({{ ip }}, '.')[1:3], octet -> octet::integer::varchar), '.'
                    ) || '.0'
            end
        when
            regexp_full_match(
                {{ ip }},
                '[0-9A-Fa-f:]*:[0-9A-Fa-f:]*(:[0-9]{1,3}[.][0-9]{1,3}[.][0-9]{1,3}[.][0-9]{1,3})?(%[^%]+)?'
            )
            and (
                {{ ip }} not like '%.%'
                or list_bool_and(
                    list_transform(
                        string_split(regexp_extract(split_part({{ ip }}, '%', 1), '[^:]*$'), '.'),
                        octet -> regexp_full_match(octet, '0|[1-9][0-9]{0,2}') and coalesce(try_cast(octet as integer) <= 255, false)
                    )
                )
            )
            then {{ product_analytics.ipv6_network_48("split_part(" ~ ip ~ ", '%', 1)") }}
    end
{%- endmacro %}

{#- /48 network of a syntactically plausible IPv6 address (helper of truncate_ip): expand `::`, keep the first three groups, drop their trailing zero groups, append `::`. -#}
{% macro ipv6_network_48(ip) -%}
    {%- set head = "case when " ~ ip ~ " like '%::%' then split_part(" ~ ip ~ ", '::', 1) else " ~ ip ~ " end" -%}
    {%- set tail = "case when " ~ ip ~ " like '%::%' then split_part(" ~ ip ~ ", '::', 2) else '' end" -%}
    {%- set head_groups = "case when (" ~ head ~ ") = '' then []::varchar[] else string_split(" ~ head ~ ", ':') end" -%}
    {%- set tail_groups = "case when (" ~ tail ~ ") = '' then []::varchar[] else string_split(" ~ tail ~ ", ':') end" -%}
    {%- set tail_width = "(len(" ~ tail_groups ~ ") + case when (" ~ tail ~ ") like '%.%' then 1 else 0 end)" -%}
    {%- set head_width = "(len(" ~ head_groups ~ ") + case when " ~ ip ~ " not like '%::%' and " ~ ip ~ " like '%.%' then 1 else 0 end)" -%}
    {%- set groups = "list_concat(" ~ head_groups ~ ", list_transform(range(greatest(8 - " ~ head_width ~ " - " ~ tail_width ~ ", 0)), zero -> '0'), " ~ tail_groups ~ ")" -%}
    case
        when
            (length({{ ip }}) - length(replace({{ ip }}, '::', ''))) <= 2
            and (
                ({{ ip }} like '%::%' and {{ head_width }} + {{ tail_width }} <= 7)
                or ({{ ip }} not like '%::%' and {{ head_width }} = 8)
            )
            and list_bool_and(
                list_transform(
                    list_filter({{ groups }}, part -> part not like '%.%'),
                    part -> regexp_full_match(part, '[0-9A-Fa-f]{1,4}')
                )
            )
            then coalesce(
                nullif(
                    regexp_replace(
                        array_to_string(
                            list_transform(
                                ({{ groups }})[1:3],
                                part -> coalesce(nullif(ltrim(lower(part), '0'), ''), '0')
                            ),
                            ':'
                        ),
                        '(:0)+$|^0(:0)*$',
                        ''
                    ),
                    ''
                ) || '::',
                '::'
            )
    end
{%- endmacro %}

{#- The same steps with Spark's array functions (split takes a regex; slice and arrays are 1-based in slice only). -#}
{% macro spark__truncate_ip(ip) -%}
    case
        when {{ ip }} rlike '^(0|[1-9][0-9]{0,2})[.](0|[1-9][0-9]{0,2})[.](0|[1-9][0-9]{0,2})[.](0|[1-9][0-9]{0,2})\\z'
            then case
                when forall(split({{ ip }}, '[.]'), octet -> cast(octet as int) <= 255)
                    then concat(array_join(slice(split({{ ip }}, '[.]'), 1, 3), '.'), '.0')
            end
        when
            {{ ip }} rlike '^[0-9A-Fa-f:]*:[0-9A-Fa-f:]*(:[0-9]{1,3}[.][0-9]{1,3}[.][0-9]{1,3}[.][0-9]{1,3})?(%[^%]+)?\\z'
            and (
                {{ ip }} not like '%.%'
                or forall(
                    split(regexp_extract(split_part({{ ip }}, '%', 1), '[^:]*$', 0), '[.]'),
                    octet -> octet rlike '^(0|[1-9][0-9]{0,2})\\z' and coalesce(cast(octet as int) <= 255, false)
                )
            )
            then {{ product_analytics.spark_ipv6_network_48("split_part(" ~ ip ~ ", '%', 1)") }}
    end
{%- endmacro %}

{#- spark__truncate_ip's /48 network, as ipv6_network_48. -#}
{% macro spark_ipv6_network_48(ip) -%}
    {%- set head = "case when " ~ ip ~ " like '%::%' then split_part(" ~ ip ~ ", '::', 1) else " ~ ip ~ " end" -%}
    {%- set tail = "case when " ~ ip ~ " like '%::%' then split_part(" ~ ip ~ ", '::', 2) else '' end" -%}
    {%- set head_groups = "case when (" ~ head ~ ") = '' then cast(array() as array<string>) else split(" ~ head ~ ", ':') end" -%}
    {%- set tail_groups = "case when (" ~ tail ~ ") = '' then cast(array() as array<string>) else split(" ~ tail ~ ", ':') end" -%}
    {%- set tail_width = "(size(" ~ tail_groups ~ ") + case when (" ~ tail ~ ") like '%.%' then 1 else 0 end)" -%}
    {%- set head_width = "(size(" ~ head_groups ~ ") + case when " ~ ip ~ " not like '%::%' and " ~ ip ~ " like '%.%' then 1 else 0 end)" -%}
    {%- set groups = "concat(" ~ head_groups ~ ", array_repeat('0', greatest(8 - " ~ head_width ~ " - " ~ tail_width ~ ", 0)), " ~ tail_groups ~ ")" -%}
    case
        when
            (length({{ ip }}) - length(replace({{ ip }}, '::', ''))) <= 2
            and (
                ({{ ip }} like '%::%' and {{ head_width }} + {{ tail_width }} <= 7)
                or ({{ ip }} not like '%::%' and {{ head_width }} = 8)
            )
            and forall(
                filter({{ groups }}, part -> part not like '%.%'),
                part -> part rlike '^[0-9A-Fa-f]{1,4}\\z'
            )
            then coalesce(
                concat(
                    nullif(
                        regexp_replace(
                            array_join(
                                transform(
                                    slice({{ groups }}, 1, 3),
                                    part -> coalesce(nullif(trim(leading '0' from lower(part)), ''), '0')
                                ),
                                ':'
                            ),
                            '(:0)+$|^0(:0)*$',
                            ''
                        ),
                        ''
                    ),
                    '::'
                ),
                '::'
            )
    end
{%- endmacro %}
