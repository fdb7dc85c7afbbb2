{#- SPEC §5 device type from a user agent: tablet (ipad, tablet, kindle, silk), mobile (mobi, iphone, ipod, windows phone), tablet (android), else desktop; case-insensitive. -#}
{% macro device_type_from_user_agent(user_agent) -%}
    case
        when {{ product_analytics.regex_contains('lower(' ~ user_agent ~ ')', "'ipad|tablet|kindle|silk'") }} then 'tablet'
        when {{ product_analytics.regex_contains('lower(' ~ user_agent ~ ')', "'mobi|iphone|ipod|windows phone'") }} then 'mobile'
        when {{ product_analytics.regex_contains('lower(' ~ user_agent ~ ')', "'android'") }} then 'tablet'
        else 'desktop'
    end
{%- endmacro %}

{#- Browser family from a user agent (the project's rule; SPEC leaves it open): first match of Edge, Opera, Samsung Internet, Firefox, Chrome, Safari, Internet Explorer; else Other. -#}
{% macro browser_from_user_agent(user_agent) -%}
    case
        when {{ user_agent }} is null then null
        when {{ product_analytics.regex_contains('lower(' ~ user_agent ~ ')', "'edg(e|a|ios)?/'") }} then 'Edge'
        when {{ product_analytics.regex_contains('lower(' ~ user_agent ~ ')', "'opr/|opera'") }} then 'Opera'
        when {{ product_analytics.regex_contains('lower(' ~ user_agent ~ ')', "'samsungbrowser'") }} then 'Samsung Internet'
        when {{ product_analytics.regex_contains('lower(' ~ user_agent ~ ')', "'firefox|fxios'") }} then 'Firefox'
        when {{ product_analytics.regex_contains('lower(' ~ user_agent ~ ')', "'chrome|crios|chromium'") }} then 'Chrome'
        when {{ product_analytics.regex_contains('lower(' ~ user_agent ~ ')', "'safari'") }} then 'Safari'
        when {{ product_analytics.regex_contains('lower(' ~ user_agent ~ ')', "'msie|trident'") }} then 'Internet Explorer'
        else 'Other'
    end
{%- endmacro %}

{#- Operating system from a user agent (the project's rule): iOS, Android, Windows, macOS, Chrome OS, Linux; else Other. -#}
{% macro os_from_user_agent(user_agent) -%}
    case
        when {{ user_agent }} is null then null
        when {{ product_analytics.regex_contains('lower(' ~ user_agent ~ ')', "'iphone|ipad|ipod'") }} then 'iOS'
        when {{ product_analytics.regex_contains('lower(' ~ user_agent ~ ')', "'android'") }} then 'Android'
        when {{ product_analytics.regex_contains('lower(' ~ user_agent ~ ')', "'windows'") }} then 'Windows'
        when {{ product_analytics.regex_contains('lower(' ~ user_agent ~ ')', "'cros'") }} then 'Chrome OS'
        when {{ product_analytics.regex_contains('lower(' ~ user_agent ~ ')', "'mac os x|macintosh'") }} then 'macOS'
        when {{ product_analytics.regex_contains('lower(' ~ user_agent ~ ')', "'linux'") }} then 'Linux'
        else 'Other'
    end
{%- endmacro %}
