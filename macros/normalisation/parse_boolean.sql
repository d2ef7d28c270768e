{#
    parse_boolean(column) -> boolean, never null

    Reads a boolean cell. CSV cells and some warehouse columns are text, others are
    real booleans, so the value is cast to text first. `true`, `1`, `t`, `yes`, `y`
    (any case, surrounding whitespace ignored) are true; everything else, including
    null and empty, is false (the contract: an empty boolean cell is false).
#}
{% macro parse_boolean(column) %}
    {{- return(adapter.dispatch('parse_boolean', 'ecom_sage_gap')(column)) -}}
{% endmacro %}

{% macro default__parse_boolean(column) -%}
    {%- set as_text = 'cast(' ~ column ~ ' as ' ~ (dbt.type_string() | lower) ~ ')' -%}
    coalesce(lower({{ normalisation_trim(as_text) }}) in ('true', '1', 't', 'yes', 'y'), false)
{%- endmacro %}

{#
    DuckDB: a BOOLEAN column (Parquet files, warehouse tables) is read as it is; the
    `typeof()` test is folded when the query is planned, so text columns alone pay
    for the text comparison.
#}
{% macro duckdb__parse_boolean(column) -%}
    {%- set as_text = 'cast(' ~ column ~ ' as varchar)' -%}
    case typeof({{ column }})
        when 'BOOLEAN' then coalesce(try_cast({{ column }} as boolean), false)
        else coalesce(lower({{ normalisation_trim(as_text) }}) in ('true', '1', 't', 'yes', 'y'), false)
    end
{%- endmacro %}
