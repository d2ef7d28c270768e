{#
    Vars are checked before they reach SQL: a value the card cannot use fails the
    run with a message naming the var and the value, and no var text is pasted into
    SQL unchecked (a quote in a var must not become a parser error, or worse).
#}

{#
    An ISO-8601 timestamp var as a UTC `timestamp` literal, computed here, so the
    SQL never parses the var's text and never depends on a session time zone.
    Accepts the shapes of parse_timestamp_utc: a date, a date and time (seconds and
    fraction optional), optionally followed by Z, +HH:MM, +HHMM or +HH.
#}
{% macro timestamp_var_literal(var_name, value) %}
    {%- set text = value | string | trim -%}
    {%- set pattern = '^([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:[.]([0-9]+))?)? ?(Z|[+-][0-9]{2}(?::?[0-9]{2})?)?)?$' -%}
    {%- set match = modules.re.match(pattern, text.upper()) -%}
    {%- set problem = "" -%}
    {%- if match is none -%}
        {%- set problem = "is not an ISO-8601 timestamp" -%}
    {%- else -%}
        {%- set parts = match.groups() -%}
        {%- set year, month, day = parts[0] | int, parts[1] | int, parts[2] | int -%}
        {%- set hour, minute, second = (parts[3] or 0) | int, (parts[4] or 0) | int, (parts[5] or 0) | int -%}
        {%- set micro = ((parts[6] or '') ~ '000000')[:6] | int -%}
        {%- if not (1 <= month <= 12) or day < 1 or hour > 23 or minute > 59 or second > 59 -%}
            {%- set problem = "is not a valid date and time" -%}
        {%- else -%}
            {%- set first_of_month = modules.datetime.date(year, month, 1) -%}
            {%- set first_of_next = modules.datetime.date(year + (month // 12), (month % 12) + 1, 1) -%}
            {%- if day > (first_of_next - first_of_month).days -%}
                {%- set problem = "is not a valid date" -%}
            {%- endif -%}
        {%- endif -%}
    {%- endif -%}
    {%- if problem -%}
        {{ exceptions.raise_compiler_error(
            var_name ~ " " ~ problem ~ " (expected e.g. 2026-04-14T09:00:00Z or 2026-04-14 09:00:00+01:00), got '" ~ value ~ "'"
        ) }}
    {%- endif -%}
    {%- set offset_minutes = 0 -%}
    {%- set offset = parts[7] -%}
    {%- if offset and offset != 'Z' -%}
        {%- set digits = offset[1:].replace(':', '') -%}
        {%- set offset_minutes = (digits[:2] | int) * 60 + ((digits[2:4] or '0') | int) -%}
        {%- if offset[0] == '-' -%}{%- set offset_minutes = -offset_minutes -%}{%- endif -%}
    {%- endif -%}
    {%- set instant = modules.datetime.datetime(year, month, day, hour, minute, second, micro)
        - modules.datetime.timedelta(minutes=offset_minutes) -%}
    {{- return("cast('" ~ instant.strftime('%Y-%m-%d %H:%M:%S.%f') ~ "' as timestamp)") -}}
{% endmacro %}

{# A var holding text, as a SQL string literal (quotes doubled). #}
{% macro sql_string_literal(value) -%}
    '{{ (value | string).replace("'", "''") }}'
{%- endmacro %}

{# A var that must be a number in [minimum, maximum]. #}
{% macro number_var(var_name, default, minimum, maximum) %}
    {%- set raw = var(var_name, default) -%}
    {%- set text = raw | string | trim -%}
    {%- if not modules.re.match('^[0-9]+([.][0-9]+)?$', text) or (text | float) < minimum or (text | float) > maximum -%}
        {{ exceptions.raise_compiler_error(
            var_name ~ " must be a number from " ~ minimum ~ " to " ~ maximum ~ ", got '" ~ raw ~ "'"
        ) }}
    {%- endif -%}
    {{- return(text | float) -}}
{% endmacro %}

{# Severity of the rejected-input test: var input_rejection_severity, error (default) or warn. #}
{% macro input_rejection_severity() %}
    {%- set raw = var('input_rejection_severity', 'error') -%}
    {%- set severity = raw | string | trim | lower -%}
    {%- if severity not in ['error', 'warn'] -%}
        {{ exceptions.raise_compiler_error("input_rejection_severity must be 'error' or 'warn', got '" ~ raw ~ "'") }}
    {%- endif -%}
    {{- return(severity) -}}
{% endmacro %}

{# The broken-sync checks' severity: var sage_sync_check_severity, error (default) or warn. #}
{% macro sage_sync_check_severity() %}
    {%- set raw = var('sage_sync_check_severity', 'error') -%}
    {%- set severity = raw | string | trim | lower -%}
    {%- if severity not in ['error', 'warn'] -%}
        {{ exceptions.raise_compiler_error("sage_sync_check_severity must be 'error' or 'warn', got '" ~ raw ~ "'") }}
    {%- endif -%}
    {{- return(severity) -}}
{% endmacro %}

{# How old the Sage sync may be at gap_as_of: var sage_sync_max_age_hours, a whole number > 0. #}
{% macro sage_sync_max_age_hours() %}
    {%- set raw = var('sage_sync_max_age_hours', 72) -%}
    {%- set text = raw | string | trim -%}
    {%- if not text.isdigit() or text | int < 1 -%}
        {{ exceptions.raise_compiler_error("sage_sync_max_age_hours must be a whole number of hours > 0, got '" ~ raw ~ "'") }}
    {%- endif -%}
    {{- return(text | int) -}}
{% endmacro %}

{# A var that must be a list (of tags, postcodes...): a bare string would be read letter by letter. #}
{% macro list_var(var_name, default) %}
    {%- set value = var(var_name, default) -%}
    {%- if value is string or value is mapping or value is not iterable -%}
        {{ exceptions.raise_compiler_error(var_name ~ " must be a list, e.g. [a, b], got '" ~ value ~ "'") }}
    {%- endif -%}
    {{- return(value) -}}
{% endmacro %}

{# A Shopify metafield location var: a mapping {namespace: ..., key: ...}. #}
{% macro metafield_var(var_name, default) %}
    {%- set value = var(var_name, default) -%}
    {%- if value is not mapping or 'namespace' not in value or 'key' not in value -%}
        {{ exceptions.raise_compiler_error(var_name ~ " must be a mapping {namespace: ..., key: ...}, got '" ~ value ~ "'") }}
    {%- endif -%}
    {{- return(value) -}}
{% endmacro %}
