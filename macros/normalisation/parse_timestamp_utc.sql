{#
    parse_timestamp_utc(column) -> timestamp (without time zone, in UTC) or null

    Reads a timestamp cell (text, or an already typed timestamp / date). Text must be
    one of the shapes connectors land (docs/definition/raw-inputs.md), surrounding whitespace
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
    Default (PostgreSQL), independent of the session time zone and never an error: the
    text (a typed timestamp is read through its text, which carries its offset) is
    checked for an accepted shape with one regular expression, then for a real date and
    time of day as DuckDB's `try_cast` reads it (month 1-12, the month's days with leap
    years, hour 0-23, or 24:00:00, which is the next midnight; minutes and seconds 0-59;
    year 0, which DuckDB reads as 1 BC, is refused, so such a row is rejected here and
    read there). Only then is it cast, as a wall-clock `timestamp` from its parts (the
    fraction cut to microseconds, as DuckDB does), and the offset subtracted as minutes.
    A value of the right shape that is no instant (month 13, 30 February) is null, so
    its row is rejected instead of failing the build.
    The shape fixes where each part is (`YYYY-MM-DD`, then `[T ]HH:MM`, `:SS`, `.fff`,
    the offset), so the parts are read by position with plain string functions, not one
    regular expression each. Each part keeps only its digits and at most a few of them,
    so no cast can fail whatever the value holds, even when a literal is folded at
    planning.
#}
{# The digits of a text expression, at most `width` of them, or null (a safe cast's input). #}
{% macro digits_only(text, width) -%}
    nullif(substring(translate({{ text }}, translate({{ text }}, '0123456789', ''), ''), 1, {{ width }}), '')
{%- endmacro %}

{% macro default__parse_timestamp_utc(column) -%}
    {%- set as_text = 'cast(' ~ column ~ ' as ' ~ (dbt.type_string() | lower) ~ ')' -%}
    {%- set value = 'upper(nullif(' ~ normalisation_trim(as_text) ~ ", ''))" -%}
    {%- set year = 'cast(' ~ digits_only('substring(' ~ value ~ ', 1, 4)', 4) ~ ' as integer)' -%}
    {%- set month = 'cast(' ~ digits_only('substring(' ~ value ~ ', 6, 2)', 2) ~ ' as integer)' -%}
    {%- set day = 'cast(' ~ digits_only('substring(' ~ value ~ ', 9, 2)', 2) ~ ' as integer)' -%}
    {%- set hour_text = digits_only('substring(' ~ value ~ ', 12, 2)', 2) -%}
    {%- set minute_text = digits_only('substring(' ~ value ~ ', 15, 2)', 2) -%}
    {#- Seconds when a `:` follows the minutes; the fraction when a `.` follows them. -#}
    {%- set second_text -%}
        case when substring({{ value }}, 17, 1) = ':' then {{ digits_only('substring(' ~ value ~ ', 18, 2)', 2) }} end
    {%- endset -%}
    {%- set fraction_tail = 'substring(' ~ value ~ ' from 21)' -%}
    {%- set fraction -%}
        substring(
            case
                when substring({{ value }}, 20, 1) = '.'
                    then substring({{ fraction_tail }}, 1, length({{ fraction_tail }}) - length(ltrim({{ fraction_tail }}, '0123456789')))
                else ''
            end || '000000',
            1, 6
        )
    {%- endset -%}
    {#- The offset: what follows the minutes once seconds, fraction and one space are gone (`Z`, `+02:00`, `-0530`, `+01` or ''). -#}
    {%- set zone = "ltrim(ltrim(substring(" ~ value ~ " from 17), ':.0123456789'), ' ')" -%}
    {%- set hour = 'coalesce(cast(' ~ hour_text ~ ' as integer), 0)' -%}
    {%- set minute = 'coalesce(cast(' ~ minute_text ~ ' as integer), 0)' -%}
    {%- set second = 'coalesce(cast(' ~ second_text ~ ' as integer), 0)' -%}
    {%- set offset_minutes -%}
        case when substring({{ zone }}, 1, 1) = '-' then -1 else 1 end
        * (
            coalesce(cast({{ digits_only('substring(' ~ zone ~ ', 2, 2)', 2) }} as integer), 0) * 60
            + coalesce(cast({{ digits_only('substring(' ~ zone ~ ', 4, 3)', 2) }} as integer), 0)
        )
    {%- endset -%}
    {%- set is_leap_year = '(mod(' ~ year ~ ', 4) = 0 and (mod(' ~ year ~ ', 100) != 0 or mod(' ~ year ~ ', 400) = 0))' -%}
    {%- set days_in_month -%}
        case
            when {{ month }} = 2 then case when {{ is_leap_year }} then 29 else 28 end
            when {{ month }} in (4, 6, 9, 11) then 30
            else 31
        end
    {%- endset -%}
    {%- set wall_clock -%}
        cast(
            substring({{ value }}, 1, 10) || ' ' || coalesce({{ hour_text }}, '00') || ':'
            || coalesce({{ minute_text }}, '00') || ':' || coalesce({{ second_text }}, '00') || '.' || {{ fraction }}
            as timestamp
        )
    {%- endset -%}
    case
        when not {{ matches_whole_pattern(value, timestamp_text_pattern()) }} then null
        when
            {{ year }} >= 1
            and {{ month }} between 1 and 12
            and {{ day }} between 1 and {{ days_in_month }}
            and (
                ({{ hour }} <= 23 and {{ minute }} <= 59 and {{ second }} <= 59)
                or ({{ hour }} = 24 and {{ minute }} = 0 and {{ second }} = 0 and {{ fraction }} = '000000')
            )
            then {{ dbt.dateadd('minute', '-1 * (' ~ offset_minutes ~ ')', wall_clock) }}
    end
{%- endmacro %}

{#
    DuckDB: independent of the session TimeZone. A value with an offset is cast to
    timestamptz, which fixes the instant, and its epoch microseconds are the UTC
    wall-clock time; a value without one is cast straight to `timestamp` (a plain
    `timestamp` cast would silently ignore an offset, hence the two branches).
    `try_cast`: a value of the right shape that is no instant (month 13) is null.
    DuckDB reads no offset after a time without seconds (`10:00+02:00`), so `:00` is
    written in first.
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
                        regexp_replace(
                            regexp_replace({{ value }}, ' ([Z+-])', '\1'),
                            '^([0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2})([Z+-])',
                            '\1:00\2'
                        ) as timestamptz
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
