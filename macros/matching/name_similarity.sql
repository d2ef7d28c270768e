{#
    Similarity of two normalised names in [0, 1]: Jaro-Winkler. Inputs are already
    lower-cased by the name normalisers (DuckDB's function is case-sensitive).
#}
{% macro name_similarity(left_name, right_name) %}
    {{- return(adapter.dispatch('name_similarity', 'ecom_sage_gap')(left_name, right_name)) -}}
{% endmacro %}

{#
    An engine that is not tested has no Jaro-Winkler known to equal DuckDB's: the build
    fails naming the engine, rather than comparing names some other way.
#}
{% macro default__name_similarity(left_name, right_name) -%}
    {{ exceptions.raise_compiler_error(
        "name_similarity: no Jaro-Winkler similarity equal to DuckDB's jaro_winkler_similarity is known for the "
        ~ target.type ~ " engine (tested: duckdb, spark, postgres). Add " ~ target.type ~ "__name_similarity"
        ~ " (macros/matching/name_similarity.sql) and check it against DuckDB's before building there."
    ) }}
{%- endmacro %}

{% macro duckdb__name_similarity(left_name, right_name) -%}
    jaro_winkler_similarity({{ left_name }}, {{ right_name }})
{%- endmacro %}

{#
    PostgreSQL: the project's PL/pgSQL function, created in the target schema when a
    node that calls it is compiled (ensure_name_similarity_function,
    macros/engines/postgres_engine.sql).
#}
{% macro postgres__name_similarity(left_name, right_name) -%}
    {%- if execute -%}
        {%- do ensure_name_similarity_function() -%}
    {%- endif -%}
    {{ adapter.quote(target.schema) }}.ecom_sage_gap_jaro_winkler({{ left_name }}, {{ right_name }})
{%- endmacro %}

{#
    Spark has no Jaro-Winkler, so this is DuckDB's jaro_winkler_similarity written out in
    Spark SQL higher-order functions (no UDF). tests_spark/ checks it against DuckDB.

    DuckDB's algorithm, as found by comparing it with a reference implementation:
    - Characters are UTF-8 BYTES, not code points: 'josé' is 5 long, and 'é' vs 'e'
      shares no character. Lengths, matches and the prefix all count bytes.
    - Null if either input is null; 0 if either is empty (two empty strings give 0 too).
    - Matching window: a byte of the left string at position i matches the first
      not-yet-matched equal byte of the right string at a position j with
      |i - j| <= greatest(max(len_l, len_r) div 2 - 1, 0); left bytes are taken in order.
    - m = matches, t = (matched pairs whose bytes differ, left order vs right order) div 2,
      jaro = (m / len_l + m / len_r + (m - t) / m) / 3, or 0 when m = 0.
    - Winkler: only when jaro > 0.7 (strictly), jaro + p * 0.1 * (1 - jaro), where p is
      the common prefix length in bytes, at most 4. No other cutoff.

    How it is written: `transform(array(x), v -> f(v))[0]` binds x to v once (a "let"),
    so each argument is evaluated once and a lambda variable never captures a column of
    the caller's query (the arguments sit outside every lambda). Bytes are compared as
    two-character hex strings.
#}
{% macro spark__name_similarity(left_name, right_name) -%}
    transform(
        {# Step 1: each input as an array of its UTF-8 bytes ('6A', '6F', ...); null stays null. #}
        array(named_struct(
            'l', regexp_extract_all(hex(encode({{ left_name }}, 'UTF-8')), '..', 0),
            'r', regexp_extract_all(hex(encode({{ right_name }}, 'UTF-8')), '..', 0)
        )),
        s -> case
            when s.l is null or s.r is null then cast(null as double)
            when size(s.l) = 0 or size(s.r) = 0 then 0.0d
            else transform(
                {# Step 2: matching. Fold over the left bytes in order; the state holds, per
                   left position i (= size of the state so far), the right position it
                   matched, or -1. A right position matches when its byte is equal, it is
                   inside the window and it is not taken yet; the first such one wins. #}
                array(aggregate(
                    s.l,
                    cast(array() as array<int>),
                    (taken, left_byte) -> concat(taken, array(coalesce(
                        array_min(transform(s.r, (right_byte, j) -> if(
                            right_byte = left_byte
                            and abs(j - size(taken))
                            <= greatest(greatest(size(s.l), size(s.r)) div 2 - 1, 0)
                            and not array_contains(taken, j),
                            j,
                            null
                        ))),
                        -1
                    )))
                )),
                matched -> transform(
                    {# Step 3: the matched bytes in left order and in right order, and the
                       common prefix (up to 4 bytes) as an array of equal / not equal. #}
                    array(named_struct(
                        'in_left_order', filter(
                            zip_with(s.l, matched, (left_byte, j) -> if(j >= 0, left_byte, null)),
                            left_byte -> left_byte is not null
                        ),
                        'in_right_order', transform(array_sort(filter(matched, j -> j >= 0)), j -> s.r[j]),
                        'prefix', slice(
                            zip_with(s.l, s.r, (left_byte, right_byte) -> left_byte = right_byte),
                            1,
                            least(4, size(s.l), size(s.r))
                        )
                    )),
                    c -> transform(
                        {# Step 4: m, t, p and the Jaro similarity, in DuckDB's order of operations. #}
                        array(named_struct(
                            'm', size(c.in_left_order),
                            't', size(filter(
                                zip_with(c.in_left_order, c.in_right_order, (a, b) -> a != b),
                                differs -> differs
                            )) div 2,
                            'p', if(
                                array_position(c.prefix, false) = 0,
                                size(c.prefix),
                                array_position(c.prefix, false) - 1
                            ),
                            'len_l', size(s.l),
                            'len_r', size(s.r)
                        )),
                        n -> transform(
                            array(if(
                                n.m = 0,
                                0.0d,
                                (
                                    cast(n.m as double) / n.len_l
                                    + cast(n.m as double) / n.len_r
                                    + cast(n.m - n.t as double) / n.m
                                ) / 3
                            )),
                            {# Step 5: the Winkler boost, only above 0.7. #}
                            jaro -> if(jaro > 0.7d, jaro + n.p * 0.1d * (1.0d - jaro), jaro)
                        )[0]
                    )[0]
                )[0]
            )[0]
        end
    )[0]
{%- endmacro %}
