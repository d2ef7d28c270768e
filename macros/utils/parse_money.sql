{#
    Money arrives as text in file mode and as numeric in a warehouse; both become
    decimal(18, 2). Empty is null (an order without a total sums as nothing).
#}
{% macro parse_money(column) %}
    {{- return(adapter.dispatch('parse_money', 'ecom_sage_gap')(column)) -}}
{% endmacro %}

{% macro default__parse_money(column) -%}
    cast(nullif(trim(cast({{ column }} as {{ dbt.type_string() }})), '') as decimal(18, 2))
{%- endmacro %}
