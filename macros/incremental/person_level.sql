{#-
    The config of a person-level model (SPEC §9), for config(**...): incremental with
    strategy `rebuild` over buckets of persons (meta rebuild: persons, shown in dbt docs),
    its grain as unique_key. Its rows carry
    `_person_bucket` (person_bucket of its person column) and `_run_seq`; its import CTEs
    keep only the rebuilt buckets (in_rebuilt_buckets). On Spark its table is partitioned
    by bucket.
-#}
{% macro person_level(grain) -%}
    {%- set settings = {
        'materialized': 'incremental',
        'incremental_strategy': 'rebuild',
        'unique_key': grain,
        'meta': {'rebuild': 'persons', 'person_column': 'person_id'},
    } -%}
    {%- do settings.update(product_analytics.partitioning('_person_bucket')) -%}
    {{ return(settings) }}
{%- endmacro %}
