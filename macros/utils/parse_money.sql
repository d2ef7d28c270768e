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

{#
    Default (PostgreSQL): no engine-specific safe cast. Only a plain decimal number (an
    optional sign, at most 16 whole digits, an optional fraction) is cast: first to
    decimal(38, 20), which holds every such value, then, when it rounds within
    decimal(18, 2), to decimal(18, 2), rounding half away from zero as DuckDB does.
    Anything else is null, so its row is rejected instead of failing the build
    (PostgreSQL's cast, like dbt's safe_cast there, raises on `£12.00`). Exponents
    (`1e3`) and digit separators (`1_000`), which DuckDB's cast reads, are rejected.
#}
{% macro default__parse_money(column) -%}
    {%- set value = normalisation_trim('cast(' ~ column ~ ' as ' ~ dbt.type_string() ~ ')') -%}
    {%- set number = 'cast(' ~ value ~ ' as decimal(38, 20))' -%}
    case
        when
            {{ matches_whole_pattern(value, '[+-]?([0-9]{1,16}([.][0-9]*)?|[.][0-9]+)') }}
            and abs({{ number }}) < 9999999999999999.995
            then cast({{ number }} as decimal(18, 2))
    end
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
