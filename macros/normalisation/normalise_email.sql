{#
    normalise_email(column) -> varchar or null

    The email used as a match key: trimmed and lower-cased. Null when the value is
    empty or is not shaped like an address, so that junk never matches junk: it must
    hold exactly one `@`, a non-empty local part before it, and a `.` somewhere in the
    domain part after it. Nothing else is validated (docs/definition/normalisation.md, no more).
    Plain `like` patterns, so the one implementation serves every engine.
#}
{% macro normalise_email(column) -%}
    {%- set email = 'lower(' ~ normalisation_trim(normalise_text_identity(column)) ~ ')' -%}
    case
        when {{ email }} like '%@%.%'
            and {{ email }} not like '%@%@%'
            and {{ email }} not like '@%'
            then {{ email }}
    end
{%- endmacro %}
