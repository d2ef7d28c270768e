{#
    Sort key for "highest order id": numeric ids compare as numbers (so 10 > 9),
    non-numeric ids sort after them by text.
#}
{% macro order_id_sort_key(order_id_column) %}
    {{- return(adapter.dispatch('order_id_sort_key', 'ecom_sage_gap')(order_id_column)) -}}
{% endmacro %}

{#
    Default (PostgreSQL): a whole number (optional sign, at most 38 digits, spaces
    around allowed) as a decimal(38, 0), as on Spark; `A-100` is null, not an error.
#}
{% macro default__order_id_sort_key(order_id_column) -%}
    case
        when {{ matches_whole_pattern('trim(' ~ order_id_column ~ ')', '[+-]?[0-9]{1,38}') }}
            then cast(trim({{ order_id_column }}) as decimal(38, 0))
    end
{%- endmacro %}

{% macro duckdb__order_id_sort_key(order_id_column) -%}
    try_cast({{ order_id_column }} as hugeint)
{%- endmacro %}

{#
    Spark: DuckDB's `try_cast` to hugeint as a decimal(38, 0), for whole numbers only
    (Spark would round `1.5` to 2; DuckDB reads no fraction as an integer). Ids such as
    `A-100` are null and sort after the numbers by text, as on DuckDB.
#}
{% macro spark__order_id_sort_key(order_id_column) -%}
    case
        when trim({{ order_id_column }}) rlike '^[+-]?[0-9]+$' then try_cast(trim({{ order_id_column }}) as decimal(38, 0))
    end
{%- endmacro %}
