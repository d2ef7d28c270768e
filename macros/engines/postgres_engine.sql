{#
    What PostgreSQL needs that the project brings itself (DuckDB and Spark need nothing).

    check_engine_text_settings(): the staging models' pre-hook. PostgreSQL 15 or newer
    (regexp_like), in a UTF-8 database whose collation orders text by code point and
    whose character classification lower-cases every letter: C.UTF-8, the builtin
    provider's (PostgreSQL 17+) or libc's. Under a language collation (en_US.UTF-8) `a`
    sorts before `B`, so ties broken by text and sorted lists would read differently from
    DuckDB; under plain C, lower() leaves `É` as it is, so `JÉRÔME@` and `jérôme@` would
    be two emails. Either stops the build at its first model, naming the setting,
    instead of giving another card. Empty elsewhere (an empty hook is not run).

    ensure_name_similarity_function(): the Jaro-Winkler function the fuzzy duplicate check
    calls (postgres__name_similarity), created in the target schema when it is missing
    or differs from this definition (its comment holds the definition's MD5), at the
    moment a node that calls it is compiled: a build, a unit test, `dbt show`.
#}
{% macro check_engine_text_settings() %}
    {{- return(adapter.dispatch('check_engine_text_settings', 'ecom_sage_gap')()) -}}
{% endmacro %}

{% macro default__check_engine_text_settings() -%}
{%- endmacro %}

{% macro postgres__check_engine_text_settings() -%}
    do $check$
    begin
        if current_setting('server_version_num')::integer < 150000
            or current_setting('server_encoding') <> 'UTF8'
            or lower('ÉØ') <> 'éø'
            or not ('a' > 'B' and 'é' > 'z') then
            raise exception '%', format(
                'PostgreSQL database %s (server %s, encoding %s, collation %s): the card compares, lower-cases'
                ' and sorts text as DuckDB does only on PostgreSQL 15 or newer, in a UTF-8 database with the'
                ' C.UTF-8 locale (lower(''ÉØ'') = ''éø'', and text sorted by code point). Create it with'
                ' CREATE DATABASE ... TEMPLATE template0 ENCODING ''UTF8'' LOCALE_PROVIDER builtin'
                ' BUILTIN_LOCALE ''C.UTF-8'' (PostgreSQL 17+), or LOCALE ''C.UTF-8''. See docs/warehouses.md.',
                current_database(), current_setting('server_version'), current_setting('server_encoding'),
                (select datcollate from pg_database where datname = current_database())
            );
        end if;
    end
    $check$
{%- endmacro %}

{% macro ensure_name_similarity_function() %}
    {%- set definition = postgres_jaro_winkler_function() -%}
    {%- set fingerprint = local_md5(definition) -%}
    {%- set found = run_query(
        "select count(*) from pg_proc as functions"
        ~ " inner join pg_namespace as schemas on functions.pronamespace = schemas.oid"
        ~ " where schemas.nspname = '" ~ target.schema ~ "' and functions.proname = 'ecom_sage_gap_jaro_winkler'"
        ~ " and obj_description(functions.oid, 'pg_proc') = '" ~ fingerprint ~ "'"
    ).columns[0].values()[0] -%}
    {%- if found == 0 -%}
        {%- do run_query('create schema if not exists ' ~ adapter.quote(target.schema)) -%}
        {%- do run_query(definition) -%}
        {%- do run_query('comment on function ' ~ adapter.quote(target.schema)
            ~ ".ecom_sage_gap_jaro_winkler(text, text) is '" ~ fingerprint ~ "'") -%}
    {%- endif -%}
{% endmacro %}

{#
    DuckDB's jaro_winkler_similarity in PL/pgSQL, step for step (the algorithm is
    described above spark__name_similarity): the inputs' UTF-8 bytes, the matching
    window, left bytes matched in order to the first free equal right byte, half the
    out-of-order matches as transpositions, the Jaro similarity in DuckDB's order of
    operations in double precision, and the Winkler boost above 0.7 with a prefix of at
    most 4 bytes. Every constant is a double (`0.1::double precision`): a numeric 0.1
    would make p * 0.1 exact and differ from DuckDB in the last bit.
#}
{% macro postgres_jaro_winkler_function() %}
    create or replace function {{ adapter.quote(target.schema) }}.ecom_sage_gap_jaro_winkler(left_text text, right_text text)
    returns double precision
    language plpgsql
    immutable
    parallel safe
    as $function$
    declare
        left_bytes bytea := convert_to(left_text, 'UTF8');
        right_bytes bytea := convert_to(right_text, 'UTF8');
        left_length integer := length(convert_to(left_text, 'UTF8'));
        right_length integer := length(convert_to(right_text, 'UTF8'));
        match_window integer;
        left_matched boolean[];
        right_taken boolean[];
        matches integer := 0;
        transpositions integer := 0;
        prefix integer := 0;
        right_position integer := 0;
        jaro double precision;
    begin
        if left_text is null or right_text is null then
            return null;
        end if;
        if left_length = 0 or right_length = 0 then
            return 0::double precision;
        end if;
        match_window := greatest(greatest(left_length, right_length) / 2 - 1, 0);
        left_matched := array_fill(false, array[left_length]);
        right_taken := array_fill(false, array[right_length]);
        for i in 0 .. left_length - 1 loop
            for j in greatest(0, i - match_window) .. least(right_length - 1, i + match_window) loop
                if not right_taken[j + 1] and get_byte(right_bytes, j) = get_byte(left_bytes, i) then
                    right_taken[j + 1] := true;
                    left_matched[i + 1] := true;
                    matches := matches + 1;
                    exit;
                end if;
            end loop;
        end loop;
        if matches = 0 then
            return 0::double precision;
        end if;
        for i in 0 .. left_length - 1 loop
            if left_matched[i + 1] then
                while not right_taken[right_position + 1] loop
                    right_position := right_position + 1;
                end loop;
                if get_byte(left_bytes, i) <> get_byte(right_bytes, right_position) then
                    transpositions := transpositions + 1;
                end if;
                right_position := right_position + 1;
            end if;
        end loop;
        transpositions := transpositions / 2;
        jaro := (
            matches::double precision / left_length
            + matches::double precision / right_length
            + (matches - transpositions)::double precision / matches
        ) / 3::double precision;
        if jaro > 0.7::double precision then
            while prefix < least(4, left_length, right_length)
                and get_byte(left_bytes, prefix) = get_byte(right_bytes, prefix) loop
                prefix := prefix + 1;
            end loop;
            jaro := jaro + prefix * 0.1::double precision * (1::double precision - jaro);
        end if;
        return jaro;
    end
    $function$;
{% endmacro %}

{#
    analyze_after_build(): every model's post-hook. PostgreSQL keeps no statistics of a
    table it has just built until it is analysed, and without them guesses a handful of
    rows for a filter on a computed value, then joins by nested loops: analysed at once.
    Empty elsewhere (and for views), so not run.

    plan_without_nested_loops(): every model's pre-hook, inside its transaction. A CTE
    has no statistics at all, so PostgreSQL guessed a few thousand rows for a million and
    an anti join of two such CTEs by nested loop ran for hours; without nested loops
    every equality join is hashed or merged (a join with no equality still loops).
#}
{% macro plan_without_nested_loops() %}
    {{- return(adapter.dispatch('plan_without_nested_loops', 'ecom_sage_gap')()) -}}
{% endmacro %}

{% macro default__plan_without_nested_loops() -%}
{%- endmacro %}

{% macro postgres__plan_without_nested_loops() -%}
    set local enable_nestloop = off
{%- endmacro %}
{% macro analyze_after_build() %}
    {{- return(adapter.dispatch('analyze_after_build', 'ecom_sage_gap')()) -}}
{% endmacro %}

{% macro default__analyze_after_build() -%}
{%- endmacro %}

{% macro postgres__analyze_after_build() -%}
    {%- if config.get('materialized') in ['table', 'incremental'] -%}
        analyze {{ this }}
    {%- endif -%}
{%- endmacro %}

{#
    Redshift: dbt-redshift dispatches to `postgres__` macros when it has no `redshift__`
    one (its plugin depends on dbt-postgres), but Redshift is no PostgreSQL 15: it has
    no `normalize` (NFC), no `regexp_like`, no PL/pgSQL functions and no DO blocks. The
    build fails at its first model, naming what is missing, rather than running a part
    of the rules.
#}
{% macro redshift__check_engine_text_settings() -%}
    {{ exceptions.raise_compiler_error(
        "Redshift is not a tested engine: the rules need Unicode NFC (normalize), whole-value regular"
        ~ " expressions (regexp_like) and a Jaro-Winkler equal to DuckDB's, which Redshift lacks or the"
        ~ " project does not bring there. See docs/warehouses.md."
    ) }}
{%- endmacro %}

{% macro redshift__name_similarity(left_name, right_name) -%}
    {{ default__name_similarity(left_name, right_name) }}
{%- endmacro %}

{% macro redshift__grant_reader_schema_usage() -%}
{%- endmacro %}

{% macro redshift__analyze_after_build() -%}
{%- endmacro %}

{% macro redshift__plan_without_nested_loops() -%}
{%- endmacro %}
