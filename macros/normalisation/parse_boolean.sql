{#
    parse_boolean(column) -> boolean or null

    Reads a boolean cell. CSV cells and some warehouse columns are text, others are
    real booleans, so the value is cast to text first. `true`, `1`, `t`, `yes`, `y`
    are true and `false`, `0`, `f`, `no`, `n` false (any case, surrounding whitespace
    ignored); null and empty are false (docs/definition/raw-inputs.md: an empty boolean cell is false).
    Anything else (`deleted`, `maybe`) is null: never guessed as false, the caller
    rejects the row (is_accepted_input_row / rejected_input_rows).
#}
{% macro parse_boolean(column) %}
    {{- return(adapter.dispatch('parse_boolean', 'ecom_sage_gap')(column)) -}}
{% endmacro %}

{% macro default__parse_boolean(column) -%}
    {%- set as_text = 'cast(' ~ column ~ ' as ' ~ (dbt.type_string() | lower) ~ ')' -%}
    {%- set value = 'lower(' ~ normalisation_trim(as_text) ~ ')' -%}
    case
        when {{ column }} is null then false
        when {{ value }} in ('true', '1', 't', 'yes', 'y') then true
        when {{ value }} in ('false', '0', 'f', 'no', 'n', '') then false
    end
{%- endmacro %}

{#
    DuckDB: a BOOLEAN column (Parquet files, warehouse tables) is read as it is; the
    `typeof()` test is folded when the query is planned, so text columns alone pay
    for the text comparison.
#}
{% macro duckdb__parse_boolean(column) -%}
    case typeof({{ column }})
        when 'BOOLEAN' then coalesce(try_cast({{ column }} as boolean), false)
        else {{ default__parse_boolean(column) }}
    end
{%- endmacro %}
