{#
    Sort key for "highest order id": numeric ids compare as numbers (so 10 > 9),
    non-numeric ids sort after them by text.
#}
{% macro order_id_sort_key(order_id_column) %}
    {{- return(adapter.dispatch('order_id_sort_key', 'ecom_sage_gap')(order_id_column)) -}}
{% endmacro %}

{% macro default__order_id_sort_key(order_id_column) -%}
    case when {{ order_id_column }} not like '%[^0-9]%' then cast({{ order_id_column }} as bigint) end
{%- endmacro %}

{% macro duckdb__order_id_sort_key(order_id_column) -%}
    try_cast({{ order_id_column }} as hugeint)
{%- endmacro %}
