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

{#
    Spark: dbt's listagg cannot order on Spark; the distinct values are collected,
    sorted and joined. Null when the group has no value, as string_agg.
#}
{% macro spark__string_agg_distinct_sorted(column, delimiter) -%}
    case
        when count({{ column }}) > 0
            then array_join(array_sort(collect_set({{ column }})), '{{ delimiter }}')
    end
{%- endmacro %}
