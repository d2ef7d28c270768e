{#
    parse_timestamp_utc(column) -> timestamp (without time zone, in UTC) or null

    Reads a timestamp cell (text, or an already typed timestamp / date). Text must be
    one of the shapes connectors land (contract, section 5), surrounding whitespace
    ignored:
      2026-04-10                      (midnight UTC)
      2026-04-10T15:40 / 2026-04-10 15:40:00 / 2026-04-10T15:40:00.123456
      any of those with an offset: Z, +HH:MM, +HHMM, +HH (or -), with or without one
      space before it (Snowflake writes `2026-04-10 15:40:00.000 +0000`).
    No offset = UTC; an offset is converted to UTC. Every timestamp in the project is a
    UTC `timestamp`, so window arithmetic never depends on a session time zone.
    Empty -> null. Any other non-empty value (`10/04/2026`, `+02:00:00`, `2026-13-01`)
    -> null too: the caller tells it from an empty cell and rejects the row
    (is_accepted_input_row / rejected_input_rows), it is never read as another instant.
#}
{% macro parse_timestamp_utc(column) %}
    {{- return(adapter.dispatch('parse_timestamp_utc', 'ecom_sage_gap')(column)) -}}
{% endmacro %}

{# The accepted text shapes, anchored at both ends (upper-cased, trimmed value). #}
{% macro timestamp_text_pattern() -%}
    ^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?( ?(Z|[+-][0-9]{2}(:?[0-9]{2})?))?)?$
{%- endmacro %}

{# An offset at the end of a value that has a time of day. #}
{% macro timestamp_offset_pattern() -%}
    [0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)? ?(Z|[+-][0-9]{2}(:?[0-9]{2})?)$
{%- endmacro %}

{#
    ANSI-ish: shape checked with a regular expression (matches_whole_pattern), then cast to `timestamp with time zone` and read back `at time zone 'UTC'`.
    Relies on the session time zone being UTC for values without an offset; the
    profile sets TimeZone = UTC. A shape that fits but is no date (month 13) fails the
    cast on engines without a safe cast.
#}
{% macro default__parse_timestamp_utc(column) -%}
    {%- set as_text = 'cast(' ~ column ~ ' as ' ~ (dbt.type_string() | lower) ~ ')' -%}
    {%- set value = 'upper(nullif(' ~ normalisation_trim(as_text) ~ ", ''))" -%}
    case
        when {{ matches_whole_pattern(value, timestamp_text_pattern()) }}
            then cast(
                cast(replace(replace(replace({{ value }}, ' +', '+'), ' -', '-'), ' Z', 'Z') as timestamp with time zone)
                at time zone 'UTC' as timestamp
            )
    end
{%- endmacro %}

{#
    DuckDB: independent of the session TimeZone. A value with an offset is cast to
    timestamptz, which fixes the instant, and its epoch microseconds are the UTC
    wall-clock time; a value without one is cast straight to `timestamp` (a plain
    `timestamp` cast would silently ignore an offset, hence the two branches).
    `try_cast`: a value of the right shape that is no instant (month 13) is null.
    Typed columns (Parquet files, warehouse tables) skip the text round trip: DuckDB
    folds `typeof()` to a constant when it plans the query, so only the branch of the
    column's own type runs.
#}
{% macro duckdb__parse_timestamp_utc(column) -%}
    {%- set as_text = 'cast(' ~ column ~ ' as varchar)' -%}
    {%- set value = 'upper(nullif(' ~ normalisation_trim(as_text) ~ ", ''))" -%}
    case typeof({{ column }})
        when 'TIMESTAMP WITH TIME ZONE' then make_timestamp(epoch_us(try_cast({{ column }} as timestamptz)))
        when 'TIMESTAMP' then try_cast({{ column }} as timestamp)
        when 'DATE' then try_cast({{ column }} as timestamp)
        else
            case
                when not {{ matches_whole_pattern(value, timestamp_text_pattern()) }} then null
                when regexp_matches({{ value }}, '{{ timestamp_offset_pattern() }}')
                    then make_timestamp(epoch_us(try_cast(
                        regexp_replace({{ value }}, ' ([Z+-])', '\1') as timestamptz
                    )))
                else try_cast({{ value }} as timestamp)
            end
    end
{%- endmacro %}

{#
    Spark: the shape checked as on DuckDB, the space before an offset removed, then
    `try_cast` to timestamp: Spark reads every accepted shape (T or space, fraction,
    Z, +HH:MM, +HHMM, +HH) and converts an offset to the session time zone, UTC (the
    profile sets spark.sql.session.timeZone); no offset is UTC. A value of the right
    shape that is no instant (month 13) is null, as on DuckDB. Typed columns are read
    through their text (Spark writes timestamps in the session time zone).
#}
{% macro spark__parse_timestamp_utc(column) -%}
    {%- set value = 'upper(nullif(' ~ normalisation_trim('cast(' ~ column ~ ' as string)') ~ ", ''))" -%}
    case
        when {{ matches_whole_pattern(value, timestamp_text_pattern()) }}
            then try_cast(regexp_replace({{ value }}, ' ([Z+-])', '$1') as timestamp)
    end
{%- endmacro %}
