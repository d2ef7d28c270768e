{#
    normalise_text_identity(column) -> text

    Makes text that looks the same compare the same (docs/definition/normalisation.md): Unicode
    NFC (a precomposed `é` equals `e` + combining accent), invisible format characters
    removed (zero-width space and joiners, word joiner, byte-order mark, soft hyphen:
    Unicode category Cf), and no-break spaces read as spaces. Applied first by the
    email, account-reference and name normalisers, so an address pasted with a
    trailing zero-width space still matches. Null stays null.
#}
{% macro normalise_text_identity(column) %}
    {{- return(adapter.dispatch('normalise_text_identity', 'ecom_sage_gap')(column)) -}}
{% endmacro %}

{#
    Default (PostgreSQL): SQL's `normalize(x, NFC)`, then every format character (Cf,
    listed by format_characters) deleted and the no-break spaces replaced, with
    `translate`, in DuckDB's order. An engine without `normalize` fails the query naming
    it rather than comparing decomposed and precomposed accents as different text.
    Plain ASCII (as many bytes as characters, nearly every value) is returned as it is:
    `translate` compares each character with the whole list.
#}
{% macro default__normalise_text_identity(column) -%}
    case
        when octet_length({{ column }}) = char_length({{ column }}) then {{ column }}
        else translate(
            translate(normalize({{ column }}, NFC), {{ text_literal(format_characters()) }}, ''),
            {{ text_literal(no_break_space_characters()) }},
            '   '
        )
    end
{%- endmacro %}

{#
    DuckDB: `nfc_normalize`, then every Cf character removed and the no-break spaces
    (U+00A0, U+202F, U+2007) replaced. Plain ASCII (byte length = character length,
    nearly every value) is returned as it is, without the regular expressions.
#}
{% macro duckdb__normalise_text_identity(column) -%}
    case
        when strlen({{ column }}) = length({{ column }}) then {{ column }}
        else regexp_replace(
            regexp_replace(nfc_normalize({{ column }}), '\p{Cf}', '', 'g'),
            '[\x{00A0}\x{202F}\x{2007}]', ' ', 'g'
        )
    end
{%- endmacro %}

{#
    Spark: DuckDB's steps without `nfc_normalize` (Spark SQL has no Unicode
    normalisation function), so a decomposed accent stays unequal to a precomposed one;
    every Cf character is removed and the no-break spaces replaced. ASCII values (byte
    length = character length) skip the regular expressions.
#}
{% macro spark__normalise_text_identity(column) -%}
    case
        when octet_length({{ column }}) = char_length({{ column }}) then {{ column }}
        else regexp_replace(
            regexp_replace({{ column }}, '\\p{Cf}', ''),
            '[\\x{00A0}\\x{202F}\\x{2007}]', ' '
        )
    end
{%- endmacro %}
