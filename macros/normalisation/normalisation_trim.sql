{#
    normalisation_trim(column) -> text

    Removes leading and trailing whitespace from a text expression. Shared by the
    normalisation macros so that "trim" means the same thing everywhere: CSV exports
    and storefront admin screens often leave tabs, line breaks or non-breaking spaces
    around a value, and a plain `trim()` in DuckDB only removes spaces.
    An empty result stays an empty string; the callers turn it into null.
#}
{% macro normalisation_trim(column) %}
    {{- return(adapter.dispatch('normalisation_trim', 'ecom_sage_gap')(column)) -}}
{% endmacro %}

{#
    Default (PostgreSQL): `trim` with the set of whitespace characters DuckDB's class
    reads (whitespace_characters), named one by one.
#}
{% macro default__normalisation_trim(column) -%}
    trim(both {{ text_literal(whitespace_characters()) }} from {{ column }})
{%- endmacro %}

{# DuckDB: any whitespace, including tabs, line breaks and Unicode spaces such as no-break space. #}
{% macro duckdb__normalisation_trim(column) -%}
    regexp_replace({{ column }}, '^[\s\p{Z}]+|[\s\p{Z}]+$', '', 'g')
{%- endmacro %}

{# Spark: DuckDB's whitespace classes in Java regular expressions (`\\` is one backslash in a Spark string). #}
{% macro spark__normalisation_trim(column) -%}
    regexp_replace({{ column }}, '^[\\s\\p{Z}]+|[\\s\\p{Z}]+$', '')
{%- endmacro %}
