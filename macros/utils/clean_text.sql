{#
    Text as the rules read it (docs/definition/normalisation.md): trimmed, and empty
    text is null. Ids and store keys
    go through here too, so `42`, ` 42 ` and a warehouse integer 42 all compare equal.
    Text identity first (normalise_text_identity: NFC, invisible characters removed,
    no-break spaces as spaces), so a Sage id pasted with a no-break space or a
    zero-width space is the same id in every mart.
#}
{% macro clean_text(column) %}
    {{- return(adapter.dispatch('clean_text', 'ecom_sage_gap')(column)) -}}
{% endmacro %}

{% macro default__clean_text(column) -%}
    nullif(trim({{ normalise_text_identity('cast(' ~ column ~ ' as ' ~ dbt.type_string() ~ ')') }}), '')
{%- endmacro %}

{#
    DuckDB: the same result, cheaper on millions of rows. A typed column that is not
    text (an integer id in a Parquet file or a warehouse table) has no spaces to trim
    and never casts to '', a text value is trimmed only when it starts or ends with a
    space (`like` on the edges is far cheaper than `trim` on every value), and only a
    value with a non-ASCII character (byte length != character length) goes through
    text identity.
    `typeof()` is folded when the query is planned, so only one branch runs.
#}
{% macro duckdb__clean_text(column) -%}
    case typeof({{ column }})
        when 'VARCHAR' then
            nullif(
                case
                    when strlen(cast({{ column }} as varchar)) != length(cast({{ column }} as varchar))
                        then trim({{ normalise_text_identity('cast(' ~ column ~ ' as varchar)') }})
                    when cast({{ column }} as varchar) like ' %' or cast({{ column }} as varchar) like '% '
                        then trim(cast({{ column }} as varchar))
                    else cast({{ column }} as varchar)
                end,
                ''
            )
        else cast({{ column }} as varchar)
    end
{%- endmacro %}
