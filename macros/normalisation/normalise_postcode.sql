{#
    normalise_postcode(column) -> varchar or null

    The postcode used to block the fuzzy duplicate check: upper-cased with all
    whitespace removed, so `sw1a 1aa`, `SW1A1AA` and `SW1A  1AA` compare equal.
    Empty -> null.
#}
{% macro normalise_postcode(column) %}
    {{- return(adapter.dispatch('normalise_postcode', 'ecom_sage_gap')(column)) -}}
{% endmacro %}

{# Default (PostgreSQL): `translate` deletes every whitespace character. #}
{% macro default__normalise_postcode(column) -%}
    nullif(upper(translate({{ column }}, {{ text_literal(whitespace_characters()) }}, '')), '')
{%- endmacro %}

{# DuckDB: removes every whitespace character, Unicode spaces included. #}
{% macro duckdb__normalise_postcode(column) -%}
    nullif(upper(regexp_replace({{ column }}, '[\s\p{Z}]', '', 'g')), '')
{%- endmacro %}

{# Spark: as DuckDB, every whitespace character removed (Java classes). #}
{% macro spark__normalise_postcode(column) -%}
    nullif(upper(regexp_replace({{ column }}, '[\\s\\p{Z}]', '')), '')
{%- endmacro %}
