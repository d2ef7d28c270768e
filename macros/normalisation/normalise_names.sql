{#
    normalise_person_name(column) -> varchar or null

    A person's name for the fuzzy duplicate check (callers pass
    `first_name || ' ' || last_name`, or a full name): lower-cased, accents
    stripped (`Zoë Ångström` -> `zoe angstrom`), punctuation deleted rather than
    replaced by a space (`O'Brien` -> `obrien`, so `O'Brien` = `OBrien`), whitespace
    collapsed to single spaces and trimmed. Only a-z, 0-9 and spaces survive, so
    names with no Latin letters or digits become null. Empty -> null.
    Letters that carry no accent to strip but have a plain Latin spelling
    (`ø`, `ł`, `đ`, `ð`, `ı`, `ß`, `æ`, `œ`, `þ`) are folded to it, so `Søren` is
    `soren` rather than `sren`.
#}
{% macro normalise_person_name(column) %}
    {{- return(adapter.dispatch('normalise_person_name', 'ecom_sage_gap')(column)) -}}
{% endmacro %}

{#
    Default (PostgreSQL), DuckDB's steps with portable functions: lower-case, then
    canonical decomposition (`normalize(x, NFD)`: `é` becomes `e` and a combining
    accent, which the kept-characters step deletes, as DuckDB's `strip_accents` removes
    it), the letters without a decomposition folded, every whitespace character read as
    a space, every character other than a-z, 0-9 and space deleted (double
    `translate`), runs of spaces collapsed exactly (`replace` through a marker pair that
    cannot occur once only a-z, 0-9 and spaces are left), ends trimmed.
#}
{% macro default__normalise_person_name(column) -%}
    {%- set folded -%}
        translate(
            replace(replace(replace(replace(
                translate(normalize(lower({{ column }}), NFD), 'øłđðı', 'olddi'),
                'ß', 'ss'), 'æ', 'ae'), 'œ', 'oe'), 'þ', 'th'),
            {{ text_literal(whitespace_characters()) }},
            {{ text_literal(' ' * (whitespace_characters() | length)) }}
        )
    {%- endset -%}
    {%- set kept -%}
        translate({{ folded }}, translate({{ folded }}, 'abcdefghijklmnopqrstuvwxyz0123456789 ', ''), '')
    {%- endset -%}
    nullif(trim(replace(replace(replace({{ kept }}, ' ', '<>'), '><', ''), '<>', ' ')), '')
{%- endmacro %}

{#
    DuckDB: `strip_accents` removes every combining accent (so decomposed and
    precomposed accents agree), the character class drops invisible format characters
    and keeps no-break spaces as whitespace: text identity holds without
    normalise_text_identity, one nesting level fewer.
#}
{% macro duckdb__normalise_person_name(column) -%}
    {%- set folded -%}
        replace(replace(replace(replace(
            translate(strip_accents(lower({{ column }})), 'øłđðı', 'olddi'),
            'ß', 'ss'), 'æ', 'ae'), 'œ', 'oe'), 'þ', 'th')
    {%- endset -%}
    {%- set letters_digits_spaces -%}
        regexp_replace({{ folded }}, '[^a-z0-9\s\p{Z}]', '', 'g')
    {%- endset -%}
    nullif(trim(regexp_replace({{ letters_digits_spaces }}, '[\s\p{Z}]+', ' ', 'g')), '')
{%- endmacro %}

{#
    Spark: no `strip_accents`, so accents are folded with the default `translate` list
    (precomposed Latin letters) and combining accents (\p{M}, decomposed text) are
    deleted with the other punctuation; then DuckDB's character class and whitespace
    collapse. A precomposed accented letter outside the list is deleted, not folded.
#}
{% macro spark__normalise_person_name(column) -%}
    {%- set folded -%}
        replace(replace(replace(replace(
            translate(
                lower({{ column }}),
                'àáâãäåāăąçćĉċčďđèéêëēĕėęěĝğġģĥìíîïĩīĭįıĵķĺļľłñńņňòóôõöøōŏőŕŗřśŝşšţťùúûüũūŭůűųŵýÿŷźżžð',
                'aaaaaaaaacccccddeeeeeeeeegggghiiiiiiiiijkllllnnnnooooooooorrrssssttuuuuuuuuuuwyyyzzzd'
            ),
            'ß', 'ss'), 'æ', 'ae'), 'œ', 'oe'), 'þ', 'th')
    {%- endset -%}
    {%- set letters_digits_spaces -%}
        regexp_replace({{ folded }}, '[^a-z0-9\\s\\p{Z}]', '')
    {%- endset -%}
    nullif(trim(regexp_replace({{ letters_digits_spaces }}, '[\\s\\p{Z}]+', ' ')), '')
{%- endmacro %}

{#
    normalise_company_name(column) -> varchar or null

    A company name for the fuzzy duplicate check: the person-name rules above, with
    `&` read as ` and ` first (so `Smith & Sons Ltd` = `Smith and Sons Ltd` ->
    `smith and sons ltd`), then the legal suffixes folded as whole words:
    `public limited company` -> `plc`, then `limited` -> `ltd`
    (`Acme Widgets Limited` = `ACME WIDGETS LTD.` -> `acme widgets ltd`).
    Empty -> null. Built on normalise_person_name, so one implementation serves
    every engine: after it, words are separated by single spaces, and padding the
    value with spaces makes `replace` a whole-word replacement.
#}
{% macro normalise_company_name(column) -%}
    {%- set name = normalise_person_name('replace(' ~ column ~ ", '&', ' and ')") -%}
    {#- `limited` is replaced twice: a match consumes the space the next `limited` would need. -#}
    trim(
        replace(replace(replace(
            ' ' || {{ name }} || ' ',
            ' public limited company ', ' plc '), ' limited ', ' ltd '), ' limited ', ' ltd ')
    )
{%- endmacro %}
