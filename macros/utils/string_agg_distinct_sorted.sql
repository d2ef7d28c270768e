{# A readable list of distinct values, sorted, e.g. "adobe_commerce, shopify". #}
{% macro string_agg_distinct_sorted(column, delimiter) %}
    {{- return(adapter.dispatch('string_agg_distinct_sorted', 'ecom_sage_gap')(column, delimiter)) -}}
{% endmacro %}

{% macro default__string_agg_distinct_sorted(column, delimiter) -%}
    {{ dbt.listagg('distinct ' ~ column, "'" ~ delimiter ~ "'", 'order by ' ~ column) }}
{%- endmacro %}

{% macro duckdb__string_agg_distinct_sorted(column, delimiter) -%}
    string_agg(distinct {{ column }}, '{{ delimiter }}' order by {{ column }})
{%- endmacro %}
