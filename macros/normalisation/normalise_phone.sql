{#
    phone_country_code() -> text (digits)

    The country code that national phone numbers (a single leading `0`) belong to:
    var `default_phone_country_code` (default `44`, the UK). Accepts a number or a
    string, with or without a leading `+`; fails compilation when it is not digits,
    rather than silently building wrong phone keys.
#}
{% macro phone_country_code() %}
    {%- set code = (var('default_phone_country_code', '44') ~ '') | trim -%}
    {%- if code.startswith('+') -%}
        {%- set code = code[1:] -%}
    {%- endif -%}
    {%- if not (code and code.isdigit()) -%}
        {{- exceptions.raise_compiler_error(
            "var default_phone_country_code must be digits (e.g. '44'), got: "
            ~ var('default_phone_country_code', '44')
        ) -}}
    {%- endif -%}
    {{- return(code) -}}
{% endmacro %}

{#
    normalise_phone(column) -> varchar or null

    The phone number used by the fuzzy duplicate check, so that the same number
    typed in different ways compares equal as a string:
    1. trim;
    2. drop a `(0)` that follows an international prefix:
       `+44 (0)20 7946 0000` -> `+442079460000`;
    3. keep only digits, plus a leading `+` if the trimmed value starts with `+`;
    4. `00` + rest -> `+` + rest; a single leading `0` (national number) ->
       `+<phone_country_code()>` + the rest without the 0; anything else
       (`+...`, or digits such as `447700900123`) stays as is;
    5. null when the result has fewer than 7 digits (country code included).
    Examples: `07700 900123`, `+44 7700 900123`, `0044 7700 900123` and
    `+44 (0)7700 900123` all give `+447700900123`; `12345` and `''` give null.
#}
{% macro normalise_phone(column) %}
    {{- return(adapter.dispatch('normalise_phone', 'ecom_sage_gap')(column)) -}}
{% endmacro %}

{#
    Default (PostgreSQL): DuckDB's regular expressions, with the whitespace class listed
    (whitespace_characters), `g` to replace every match, and the whole-value match of
    step 5 through matches_whole_pattern.
#}
{% macro default__normalise_phone(column) -%}
    {%- set code = phone_country_code() -%}
    {%- set space = whitespace_characters() -%}
    {%- set trimmed = normalisation_trim(column) -%}
    {%- set without_trunk_zero -%}
        regexp_replace(
            {{ trimmed }},
            {{ text_literal('^(\\+|00)([' ~ space ~ '.-]*[0-9]{1,3})[' ~ space ~ '.-]*\\([' ~ space ~ ']*0[' ~ space ~ ']*\\)') }},
            '\1\2'
        )
    {%- endset -%}
    {%- set digits -%}
        case when {{ without_trunk_zero }} like '+%' then '+' else '' end
        || regexp_replace({{ without_trunk_zero }}, '[^0-9]', '', 'g')
    {%- endset -%}
    {%- set international -%}
        regexp_replace(regexp_replace({{ digits }}, '^00', '+'), '^0', '+{{ code }}')
    {%- endset -%}
    case when {{ matches_whole_pattern(international, '[+]?[0-9]{7,}') }} then {{ international }} end
{%- endmacro %}

{# DuckDB: the same steps with regular expressions, each input copy used once or twice. #}
{% macro duckdb__normalise_phone(column) -%}
    {%- set code = phone_country_code() -%}
    {%- set trimmed = normalisation_trim(column) -%}
    {#- step 2: `+44 (0)20` / `0044 (0) 20` -> `+4420` / `004420` -#}
    {%- set without_trunk_zero -%}
        regexp_replace(
            {{ trimmed }},
            '^(\+|00)([\s\p{Z}.\-]*[0-9]{1,3})[\s\p{Z}.\-]*\([\s\p{Z}]*0[\s\p{Z}]*\)',
            '\1\2'
        )
    {%- endset -%}
    {#- step 3 -#}
    {%- set digits -%}
        case when starts_with({{ without_trunk_zero }}, '+') then '+' else '' end
        || regexp_replace({{ without_trunk_zero }}, '[^0-9]', '', 'g')
    {%- endset -%}
    {#- steps 4 and 5 -#}
    nullif(
        regexp_extract(
            regexp_replace(regexp_replace({{ digits }}, '^00', '+'), '^0', '+{{ code }}'),
            '^\+?[0-9]{7,}$'
        ),
        ''
    )
{%- endmacro %}

{# Spark: DuckDB's regular expressions in Java syntax (`$1` back-references, one pass replaces all). #}
{% macro spark__normalise_phone(column) -%}
    {%- set code = phone_country_code() -%}
    {%- set trimmed = normalisation_trim(column) -%}
    {%- set without_trunk_zero -%}
        regexp_replace(
            {{ trimmed }},
            '^(\\+|00)([\\s\\p{Z}.\\-]*[0-9]{1,3})[\\s\\p{Z}.\\-]*\\([\\s\\p{Z}]*0[\\s\\p{Z}]*\\)',
            '$1$2'
        )
    {%- endset -%}
    {%- set digits -%}
        case when startswith({{ without_trunk_zero }}, '+') then '+' else '' end
        || regexp_replace({{ without_trunk_zero }}, '[^0-9]', '')
    {%- endset -%}
    nullif(
        regexp_extract(
            regexp_replace(regexp_replace({{ digits }}, '^00', '+'), '^0', '+{{ code }}'),
            '^\\+?[0-9]{7,}$',
            0
        ),
        ''
    )
{%- endmacro %}
