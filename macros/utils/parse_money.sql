{#
    parse_money(column) -> decimal(18, 2) or null

    Money arrives as text in file mode and as numeric in a warehouse; both become
    decimal(18, 2). Empty is null (an order without a total sums as nothing). Text
    that is not a number (`12,50`, `£12.00`, `n/a`) is null as well: the caller tells
    it from an empty cell and rejects the row (is_accepted_input_row).
#}
{% macro parse_money(column) %}
    {{- return(adapter.dispatch('parse_money', 'ecom_sage_gap')(column)) -}}
{% endmacro %}

{% macro default__parse_money(column) -%}
    {{ dbt.safe_cast("nullif(trim(cast(" ~ column ~ " as " ~ dbt.type_string() ~ ")), '')", "decimal(18, 2)") }}
{%- endmacro %}

{# DuckDB: `try_cast`; a typed numeric column (Parquet, warehouse) is cast directly. #}
{% macro duckdb__parse_money(column) -%}
    case typeof({{ column }})
        when 'VARCHAR' then try_cast(nullif(trim(cast({{ column }} as varchar)), '') as decimal(18, 2))
        else try_cast({{ column }} as decimal(18, 2))
    end
{%- endmacro %}

{#
    Spark: dbt's safe_cast is a plain cast on Spark, which fails the query on text that
    is not a number under ANSI mode; `try_cast` makes it null, as on DuckDB.
#}
{% macro spark__parse_money(column) -%}
    try_cast(nullif(trim(cast({{ column }} as string)), '') as decimal(18, 2))
{%- endmacro %}
