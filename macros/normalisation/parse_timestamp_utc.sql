{#
    parse_timestamp_utc(column) -> timestamp (without time zone, in UTC) or null

    Reads an ISO-8601 timestamp (text, or an already typed timestamp, which is
    cast to text first). The contract: a value without an offset is UTC; a value
    with an offset (`Z`, `+01:00`, `-0500`, `+01`) is converted to UTC; a date-only
    value (`2026-04-14`) is midnight UTC. Every timestamp in the project is a UTC
    `timestamp`, so window arithmetic never depends on a session time zone.
    Empty -> null. A non-empty value that is not a timestamp fails the query
    (a cast error) instead of silently dropping an order out of the window.
#}
{% macro parse_timestamp_utc(column) %}
    {{- return(adapter.dispatch('parse_timestamp_utc', 'ecom_sage_gap')(column)) -}}
{% endmacro %}

{#
    ANSI-ish: cast to `timestamp with time zone`, then `at time zone 'UTC'`
    (upper-cased first: some engines reject a lower-case `t` / `z`).
    Relies on the session time zone being UTC for values WITHOUT an offset (the
    cast reads them as session-local time); the profile sets TimeZone = UTC.
#}
{% macro default__parse_timestamp_utc(column) -%}
    {%- set as_text = 'cast(' ~ column ~ ' as ' ~ (dbt.type_string() | lower) ~ ')' -%}
    {%- set value = 'upper(nullif(' ~ normalisation_trim(as_text) ~ ", ''))" -%}
    cast(cast({{ value }} as timestamp with time zone) at time zone 'UTC' as timestamp)
{%- endmacro %}

{#
    DuckDB: independent of the session TimeZone. A value ending in an offset (after
    a time of day) is cast to timestamptz, which fixes the instant, and
    `timezone('UTC', ...)` reads it back as UTC wall-clock time; a value without an
    offset is cast straight to `timestamp` (a plain cast to `timestamp` would ignore
    the offset). Relies on the ICU extension for `timezone()` and offset parsing
    (bundled with and auto-loaded by the standard DuckDB builds).
    Typed columns (Parquet files, warehouse tables) skip the text round trip: DuckDB
    folds `typeof()` to a constant when it plans the query, so only the branch of the
    column's own type runs. A timestamptz is an instant: its epoch microseconds are
    the UTC wall-clock time; a plain timestamp is already UTC; a date is midnight UTC.
#}
{% macro duckdb__parse_timestamp_utc(column) -%}
    {%- set as_text = 'cast(' ~ column ~ ' as varchar)' -%}
    {%- set value = 'upper(nullif(' ~ normalisation_trim(as_text) ~ ", ''))" -%}
    {#- a time of day followed by `Z`, `+HH`, `+HHMM` or `+HH:MM` (or `-`) at the very end -#}
    {%- set offset_pattern = '[0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)$' -%}
    case typeof({{ column }})
        when 'TIMESTAMP WITH TIME ZONE' then make_timestamp(epoch_us(try_cast({{ column }} as timestamptz)))
        when 'TIMESTAMP' then try_cast({{ column }} as timestamp)
        when 'DATE' then try_cast({{ column }} as timestamp)
        else
            case
                when regexp_matches({{ value }}, '{{ offset_pattern }}')
                    then timezone('UTC', cast({{ value }} as timestamptz))
                else cast({{ value }} as timestamp)
            end
    end
{%- endmacro %}
