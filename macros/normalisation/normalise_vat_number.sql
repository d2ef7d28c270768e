{#
    The VAT number family. Three macros over the same cleaning step:
    - clean_vat_number(column): the value as shown to people (display, "kept raw").
    - is_placeholder_vat_number(column): "no VAT number was given".
    - normalise_vat_number(column): the match key (null when none or invalid).
    A caller can tell "no VAT number" (placeholder) from "a VAT number was typed but
    it is not valid" (not a placeholder, yet normalise_vat_number is null).
#}

{#
    clean_vat_number(column) -> varchar or null

    Upper-cases and removes every whitespace character and the separators people
    type inside VAT numbers (`.`, `-`, `/`, `,`, `:`), e.g. `gb 123.456-789` ->
    `GB123456789`. Empty after cleaning -> null. No validation: this is the value
    to display next to a customer, and the input of the other two macros.
#}
{% macro clean_vat_number(column) %}
    {{- return(adapter.dispatch('clean_vat_number', 'ecom_sage_gap')(column)) -}}
{% endmacro %}

{# Default (PostgreSQL): `translate` deletes every whitespace character and the separators. #}
{% macro default__clean_vat_number(column) -%}
    nullif(upper(translate({{ column }}, {{ text_literal(whitespace_characters() ~ '.-/,:') }}, '')), '')
{%- endmacro %}

{# DuckDB: removes any whitespace (tabs, no-break spaces...) anywhere, plus the separators. #}
{% macro duckdb__clean_vat_number(column) -%}
    nullif(upper(regexp_replace({{ column }}, '[\s\p{Z}.\-/,:]', '', 'g')), '')
{%- endmacro %}

{# Spark: as DuckDB (Java classes). #}
{% macro spark__clean_vat_number(column) -%}
    nullif(upper(regexp_replace({{ column }}, '[\\s\\p{Z}.\\-/,:]', '')), '')
{%- endmacro %}

{#
    is_placeholder_vat_number(column) -> boolean, never null

    True when no VAT number was given: the cleaned value is null/empty (this covers
    `-` and whitespace), `NA` (also `N/A`), `NONE`, all zeros (`000000000`), or all
    zeros after a 2-letter country prefix (`GB000000000`). Such values mean
    "nothing" and must never match each other. Anything else, even garbage such as
    `UNKNOWN`, is "given" (and then possibly invalid).
    Patterns are whole-value regular expressions (matches_whole_pattern), which every
    engine has under its own name.
#}
{% macro is_placeholder_vat_number(column) -%}
    {%- set vat = clean_vat_number(column) -%}
    coalesce(
        {{ vat }} in ('NA', 'NONE')
        or {{ matches_whole_pattern(vat, '([A-Z]{2})?0+') }},
        true
    )
{%- endmacro %}

{#
    normalise_vat_number(column) -> varchar or null

    The VAT number as a match key, from the cleaned value (see clean_vat_number):
    - placeholders (see is_placeholder_vat_number) -> null;
    - UK: a bare 9 or 12 digit number, or `GB`/`XI` + 9 or 12 digits -> `GB` + the
      digits (a Northern Ireland `XI` number is the same registration as its `GB`
      number); `GB` + `GD`/`HA` + 3 digits (government departments, health
      authorities) -> kept; any other `GB`/`XI` value -> null (invalid);
    - `GR` + rest -> `EL` + rest (Greece's VIES prefix is `EL`), when the value is
      otherwise valid as below;
    - any other value is valid as 2 letters + letters/digits with at least one digit
      (kept as is, so words such as `UNKNOWN` or `TBC` never become keys);
      otherwise null (invalid).
#}
{% macro normalise_vat_number(column) -%}
    {%- set vat = clean_vat_number(column) -%}
    case
        when {{ is_placeholder_vat_number(column) }} then null
        when {{ matches_whole_pattern(vat, '([0-9]{9}|[0-9]{12})') }} then 'GB' || {{ vat }}
        when {{ matches_whole_pattern(vat, '(GB|XI)([0-9]{9}|[0-9]{12})') }} then 'GB' || substring({{ vat }}, 3)
        when {{ matches_whole_pattern(vat, 'GB(GD|HA)[0-9]{3}') }} then {{ vat }}
        when {{ vat }} like 'GB%' or {{ vat }} like 'XI%' then null
        when {{ matches_whole_pattern(vat, '[A-Z]{2}[A-Z0-9]+') }}
            and {{ matches_whole_pattern(vat, '[A-Z0-9]*[0-9][A-Z0-9]*') }}
            then
                case
                    when {{ vat }} like 'GR%' then 'EL' || substring({{ vat }}, 3)
                    else {{ vat }}
                end
    end
{%- endmacro %}

{#
    vat_number_as_keyed(column) -> varchar or null

    The VAT number as a person keyed it, for display: the cleaned value, or null when
    it is a placeholder (`N/A`, `NONE`, zeros...), which means no number was given.
#}
{% macro vat_number_as_keyed(column) -%}
    case when not {{ is_placeholder_vat_number(column) }} then {{ clean_vat_number(column) }} end
{%- endmacro %}
