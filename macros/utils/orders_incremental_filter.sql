{#
    The filter of an incremental run of int_ecom_orders: orders created after the
    latest stored order minus `orders_incremental_lookback_days` days. The cut-off is
    read first and written as a literal, so the filter reaches each storefront's scan
    instead of waiting for a subquery over the whole union. A full build (or an empty
    table) reads all: `true`.
#}
{% macro orders_incremental_filter(created_at_column, relation) %}
    {%- set lookback_days = var('orders_incremental_lookback_days', 35) | int -%}
    {%- if lookback_days < 0 -%}
        {{ exceptions.raise_compiler_error(
            "orders_incremental_lookback_days must be a whole number >= 0, got "
            ~ var('orders_incremental_lookback_days')
        ) }}
    {%- endif -%}
    {%- if not (execute and is_incremental()) -%}
        {{- return('true') -}}
    {%- endif -%}
    {%- set cutoff = run_query(
        "select cast(" ~ dbt.dateadd('day', -1 * lookback_days, 'max(' ~ created_at_column ~ ')') ~ " as "
        ~ dbt.type_string() ~ ") from " ~ relation
    ).columns[0].values()[0] -%}
    {%- if cutoff is none -%}
        {{- return('true') -}}
    {%- endif -%}
    {{- return(created_at_column ~ " > cast('" ~ cutoff ~ "' as timestamp)") -}}
{% endmacro %}
