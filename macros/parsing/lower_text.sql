{#- Lowercase like Python's str.lower and Java's toLowerCase(Locale.ROOT): DuckDB's lower() uses simple case mapping, so the one unconditional special mapping (U+0130 İ to i + U+0307) is applied first. -#}
{% macro lower_text(text) -%}
    {{ return(adapter.dispatch('lower_text', 'product_analytics')(text)) }}
{%- endmacro %}

{% macro default__lower_text(text) -%}
    lower({{ text }})
{%- endmacro %}

{% macro duckdb__lower_text(text) -%}
    lower(replace({{ text }}, chr(304), chr(105) || chr(775)))
{%- endmacro %}

{#-
    Spark's lower() is Java's toLowerCase(Locale.ROOT): the same one-to-one mapping as
    DuckDB's plus U+0130, and a final-sigma rule (Σ at the end of a word becomes ς) that
    DuckDB does not apply; Σ is mapped to σ first so both engines agree (Spark's chr() is
    byte-sized: Spark's parser reads the \u escapes of these literals).
-#}
{% macro spark__lower_text(text) -%}
    lower(replace({{ text }}, '\u03A3', '\u03C3'))
{%- endmacro %}

{#- Uppercase like Python's str.upper and Java's toUpperCase(Locale.ROOT) for the common special case: ß becomes SS (DuckDB's upper() maps it to ẞ). -#}
{% macro upper_text(text) -%}
    {{ return(adapter.dispatch('upper_text', 'product_analytics')(text)) }}
{%- endmacro %}

{% macro default__upper_text(text) -%}
    upper({{ text }})
{%- endmacro %}

{% macro duckdb__upper_text(text) -%}
    upper(replace({{ text }}, chr(223), 'SS'))
{%- endmacro %}

{#- Java's toUpperCase(Locale.ROOT) applies every special casing (ß to SS, ligatures such as ﬁ to FI), as Python does. -#}
{% macro spark__upper_text(text) -%}
    upper({{ text }})
{%- endmacro %}
