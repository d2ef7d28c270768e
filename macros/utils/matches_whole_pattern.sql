{# True when the whole text matches a regular expression (the pattern is anchored). #}
{% macro matches_whole_pattern(value, pattern) %}
    {{- return(adapter.dispatch('matches_whole_pattern', 'ecom_sage_gap')(value, pattern)) -}}
{% endmacro %}

{#
    Default (PostgreSQL 15+): `regexp_like` finds the pattern anywhere, so the pattern
    is anchored around its alternatives (`GB0` must not count as all zeros for holding
    a `0`). An engine without `regexp_like` fails the query naming it.
#}
{% macro default__matches_whole_pattern(value, pattern) -%}
    regexp_like({{ value }}, '^({{ pattern }})$')
{%- endmacro %}

{% macro duckdb__matches_whole_pattern(value, pattern) -%}
    regexp_full_match({{ value }}, '{{ pattern }}')
{%- endmacro %}

{# Spark: `rlike` finds the pattern anywhere, so it is anchored around the alternatives. #}
{% macro spark__matches_whole_pattern(value, pattern) -%}
    ({{ value }} rlike '^(?:{{ pattern }})$')
{%- endmacro %}
