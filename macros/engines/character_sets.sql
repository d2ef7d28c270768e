{#
    Sets of characters the rules name (docs/definition/normalisation.md), as SQL string
    literals for `translate` and `trim`. DuckDB names them as regular-expression classes
    (`[\s\p{Z}]`, `\p{Cf}`); the default implementations, which PostgreSQL runs, list
    them, since a class such as `[[:space:]]` depends on the database's locale.
    Written from code points through JSON escapes (Jinja has no chr()), so the SQL
    carries the characters themselves.
#}

{# The characters of `ranges` (a list of [first, last] code points) as one string. #}
{% macro characters_from_code_points(ranges) %}
    {%- set escapes = [] -%}
    {%- for first, last in ranges -%}
        {%- for code_point in range(first, last + 1) -%}
            {%- if code_point > 65535 -%}
                {%- set offset = code_point - 65536 -%}
                {%- do escapes.append('\\u%04x\\u%04x' | format(55296 + offset // 1024, 56320 + offset % 1024)) -%}
            {%- else -%}
                {%- do escapes.append('\\u%04x' | format(code_point)) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {{- return(fromjson('"' ~ (escapes | join('')) ~ '"')) -}}
{% endmacro %}

{# A string as a SQL literal (quotes doubled). #}
{% macro text_literal(text) %}
    {{- return("'" ~ (text | replace("'", "''")) ~ "'") -}}
{% endmacro %}

{#
    Whitespace as DuckDB's `[\s\p{Z}]` reads it: tab, line feed, form feed, carriage
    return (RE2's `\s`; not the vertical tab), and Unicode's space separators (space,
    no-break space U+00A0, U+1680, U+2000-U+200A, narrow no-break U+202F, U+205F,
    U+3000) and line and paragraph separators (U+2028, U+2029).
#}
{% macro whitespace_characters() %}
    {{- return(characters_from_code_points([
        [9, 10], [12, 13], [32, 32], [160, 160], [5760, 5760], [8192, 8202],
        [8232, 8233], [8239, 8239], [8287, 8287], [12288, 12288]
    ])) -}}
{% endmacro %}

{#
    Unicode's format characters (category Cf), which text identity removes: soft
    hyphen, Arabic number signs and letter mark, Syriac abbreviation mark, Mongolian
    vowel separator, zero-width space, non-joiner and joiner, the directional marks,
    embeddings, overrides and isolates, word joiner and invisible operators, byte-order
    mark, interlinear annotation characters, and the rarer format characters of other
    scripts and the tag block.
#}
{% macro format_characters() %}
    {{- return(characters_from_code_points([
        [173, 173], [1536, 1541], [1564, 1564], [1757, 1757], [1807, 1807], [2192, 2193],
        [2274, 2274], [6158, 6158], [8203, 8207], [8234, 8238], [8288, 8292], [8294, 8303],
        [65279, 65279], [65529, 65531], [69821, 69821], [69837, 69837], [78896, 78911],
        [113824, 113827], [119155, 119162], [917505, 917505], [917536, 917631]
    ])) -}}
{% endmacro %}

{# The no-break spaces text identity reads as spaces: U+00A0, U+202F, U+2007. #}
{% macro no_break_space_characters() %}
    {{- return(characters_from_code_points([[160, 160], [8239, 8239], [8199, 8199]])) -}}
{% endmacro %}
