{#
    One row per element of a delimited text column: `unnest`-style expansion used for
    Sage contact emails, which may hold several addresses separated by `;` or `,`.
    Returns an expression to use in a select list; the caller filters nulls.
#}
{% macro split_to_rows(column, delimiter_pattern) %}
    {{- return(adapter.dispatch('split_to_rows', 'ecom_sage_gap')(column, delimiter_pattern)) -}}
{% endmacro %}

{% macro default__split_to_rows(column, delimiter_pattern) -%}
    unnest(regexp_split_to_array({{ column }}, '{{ delimiter_pattern }}'))
{%- endmacro %}

{% macro duckdb__split_to_rows(column, delimiter_pattern) -%}
    unnest(string_split_regex({{ column }}, '{{ delimiter_pattern }}'))
{%- endmacro %}

{# Spark: `split` takes a Java regular expression; `explode` of a null array gives no row. #}
{% macro spark__split_to_rows(column, delimiter_pattern) -%}
    explode(split({{ column }}, '{{ delimiter_pattern }}'))
{%- endmacro %}
