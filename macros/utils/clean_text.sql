{#
    Text as the contract reads it: trimmed, and empty text is null. Ids and store keys
    go through here too, so `42`, ` 42 ` and a warehouse integer 42 all compare equal.
#}
{% macro clean_text(column) %}
    {{- return(adapter.dispatch('clean_text', 'ecom_sage_gap')(column)) -}}
{% endmacro %}

{% macro default__clean_text(column) -%}
    nullif(trim(cast({{ column }} as {{ dbt.type_string() }})), '')
{%- endmacro %}
