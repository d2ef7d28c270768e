{#
    File mode CSV reading (DuckDB): the fixed dialect, the header row and the check of
    every row, used by duckdb__raw_source. Nothing is sniffed: DuckDB's sniffer can
    take `#` for a comment character and drop rows that start with it, and it guesses
    the header and dialect from a sample.
#}

{#
    The strict CSV reader: comma, `"` quote and escape, a header row, no comment
    character, every column text, nothing sniffed (auto_detect off, the columns are
    the file's own header). strict_mode without null padding makes a row with too
    many or too few fields an error, never a dropped or padded row. `options` adds
    reader options (the row check below).
#}
{% macro read_raw_csv(path, columns, options='') %}
    {%- set column_types = [] -%}
    {%- for column in columns -%}
        {%- do column_types.append("'" ~ (column | replace("'", "''")) ~ "': 'VARCHAR'") -%}
    {%- endfor -%}
    {{- return(
        'read_csv(' ~ quote_raw_path(path) ~ ', auto_detect = false, header = true, skip = 0'
        ~ ", delim = ',', quote = '\"', escape = '\"', comment = ''"
        ~ ', strict_mode = true, null_padding = false'
        ~ ', columns = {' ~ (column_types | join(', ')) ~ '}' ~ options ~ ')'
    ) -}}
{% endmacro %}

{#
    File mode check of every row of a CSV, before any model reads it. Two scans count
    the rows that do not have exactly as many fields as the header: the strict reader
    setting bad rows aside (DuckDB's rejects tables, temporary, dropped after) instead
    of failing on the first, and the same reader with one column more, which reads only
    the rows with one field too many (DuckDB's strict mode lets such a row through as a
    normal one when its extra field is empty, a trailing comma, shifting its values).
    Any bad row fails the build naming the file, the physical line of the first bad row
    (find_ragged_csv_rows), the row and how many rows are bad.
#}
{% macro check_raw_csv_rows(source_name, table_name, path, columns) %}
    {%- set rejects = 'raw_csv_rejects_' ~ source_name ~ '__' ~ table_name -%}
    {%- set scans = 'raw_csv_scans_' ~ source_name ~ '__' ~ table_name -%}
    {%- do run_query('drop table if exists temp.main.' ~ rejects) -%}
    {%- do run_query('drop table if exists temp.main.' ~ scans) -%}
    {%- do run_query('select count(*) from ' ~ read_raw_csv(path, columns,
        ", ignore_errors = true, store_rejects = true, rejects_table = '" ~ rejects ~ "', rejects_scan = '" ~ scans ~ "'")) -%}
    {%- set first_reject -%}
        select
            rejected.line,
            rejected.line_byte_position,
            rejected.error_type,
            rejected.csv_line,
            rejected.error_message,
            (select count(distinct all_rejected.line) from temp.main.{{ rejects }} as all_rejected) as rejected_rows
        from temp.main.{{ rejects }} as rejected
        order by rejected.line
        limit 1
    {%- endset -%}
    {%- set rejected = run_query(first_reject).rows -%}
    {%- do run_query('drop table if exists temp.main.' ~ rejects) -%}
    {%- do run_query('drop table if exists temp.main.' ~ scans) -%}
    {%- set one_more = read_raw_csv(path, columns + ['__one_field_too_many__'], ', ignore_errors = true') -%}
    {%- set long_rows = run_query('select count(*) from ' ~ one_more).columns[0].values()[0] -%}
    {%- if rejected | length == 0 and long_rows == 0 -%}
        {{- return(none) -}}
    {%- endif -%}

    {%- set dialect = (
        ". File mode reads CSV with a fixed dialect: comma-separated, a header row, every row as many"
        ~ " fields as the header; a value holding a comma, a double quote or a line break is enclosed in"
        ~ " double quotes, a quote inside it doubled (\"\"); no comment lines (# is data)."
    ) -%}
    {%- set found = find_ragged_csv_rows(path, columns | length) -%}
    {%- if found is not none -%}
        {%- if found['is_clean'] -%}
            {%- set problem = ('too many' if found['field_count'] > columns | length else 'too few') ~ ' fields ('
                ~ found['field_count'] ~ ', the header has ' ~ (columns | length) ~ ')' -%}
        {%- else -%}
            {%- set problem = 'a double quote is left open or stands inside an unquoted value' -%}
        {%- endif -%}
        {{ exceptions.raise_compiler_error(
            path ~ " line " ~ found['first_line'] ~ ": " ~ problem ~ ": " ~ (found['record'] | truncate(300))
            ~ (" [" ~ found['bad_rows'] ~ " bad rows in the file, the first shown]" if found['bad_rows'] > 1 else "")
            ~ dialect
        ) }}
    {%- endif -%}
    {#- The file could not be split into lines (not UTF-8): DuckDB's record count stands in. -#}
    {%- set error = rejected[0] if rejected else none -%}
    {{ exceptions.raise_compiler_error(
        path ~ (" line " ~ error['line'] ~ " (counting CSV records): " ~ (error['error_type'] | lower) ~ ": "
            ~ (error['error_message'] | trim) ~ ": " ~ (error['csv_line'] | trim | truncate(300))
            if error is not none else ": " ~ long_rows ~ " row(s) with one field more than the header")
        ~ dialect
    ) }}
{% endmacro %}

{#
    The first row of a CSV file whose field count differs from `column_count` (or whose
    quotes do not close), by physical line: the file is split into lines, lines are
    joined into records while a double quote is open, and each record is split on
    commas outside quotes. Only run once a scan has found a bad row (it holds the whole
    file in memory). Returns {first_line, field_count, is_clean, record, bad_rows}, or
    none when the file is not UTF-8 text.
#}
{% macro find_ragged_csv_rows(path, column_count) %}
    {%- set query -%}
        with lines as (
            select
                generate_subscripts(split_lines, 1) as line_number,
                unnest(split_lines) as line
            from (
                select string_split(try(decode(content)), chr(10)) as split_lines
                from read_blob({{ quote_raw_path(path) }})
            )
        ),

        quotes_counted as (
            select
                line_number,
                rtrim(line, chr(13)) as line,
                coalesce(sum(length(line) - length(replace(line, '"', ''))) over (
                    order by line_number rows between unbounded preceding and 1 preceding
                ), 0) as quotes_before
            from lines
        ),

        records_numbered as (
            select
                line_number,
                line,
                sum(case when quotes_before % 2 = 0 then 1 else 0 end) over (
                    order by line_number rows between unbounded preceding and current row
                ) as record_number
            from quotes_counted
        ),

        records as (
            select
                min(line_number) as first_line,
                string_agg(line, chr(10) order by line_number) as record
            from records_numbered
            group by record_number
        ),

        fields as (
            select
                first_line,
                record,
                regexp_extract_all(record, '(?:^|,)("(?:[^"]|"")*"|[^,"]*)', 1) as split_fields
            from records
            where first_line > 1 and record <> ''
        ),

        bad as (
            select
                first_line,
                len(split_fields) as field_count,
                array_to_string(split_fields, ',') = record as is_clean,
                record
            from fields
            where len(split_fields) <> {{ column_count }} or array_to_string(split_fields, ',') <> record
        )

        select
            first_line,
            field_count,
            is_clean,
            record,
            count(*) over () as bad_rows
        from bad
        order by first_line
        limit 1
    {%- endset -%}
    {%- set rows = run_query(query).rows -%}
    {{- return(rows[0] if rows | length > 0 else none) -}}
{% endmacro %}

{#
    The column names of a CSV file's header row, in order, read without DuckDB's
    sniffer: the first physical line is read whole (no delimiter, quote or comment
    applies to it) and split on commas outside double quotes. A header that does not
    split cleanly (a stray quote), an empty or repeated name, or an empty file fails
    naming the file.
#}
{% macro read_csv_header(path) %}
    {%- set header_query -%}
        with first_line as (
            select line
            from read_csv(
                {{ quote_raw_path(path) }}, auto_detect = false, header = false, columns = {'line': 'VARCHAR'},
                delim = '\x01', quote = '', escape = '', comment = '', strict_mode = false, parallel = false
            )
            limit 1
        ),

        split as (
            select
                line,
                regexp_extract_all(line, '(?:^|,)("(?:[^"]|"")*"|[^,"]*)', 1) as fields
            from first_line
        )

        select
            generate_subscripts(fields, 1) as position,
            unnest(fields) as field,
            coalesce(array_to_string(fields, ',') = line, false) as is_clean,
            line
        from split
        order by position
    {%- endset -%}
    {%- set rows = run_query(header_query).rows -%}
    {%- if rows | length == 0 -%}
        {{ exceptions.raise_compiler_error(path ~ " is empty: a CSV needs its header row (it may have no data rows).") }}
    {%- endif -%}
    {%- if not rows[0]['is_clean'] -%}
        {{ exceptions.raise_compiler_error(
            path ~ " line 1: the header row is not comma-separated names (quotes must enclose a whole name): "
            ~ rows[0]['line']
        ) }}
    {%- endif -%}
    {%- set names = [] -%}
    {%- for row in rows -%}
        {%- set field = row['field'] -%}
        {%- if field | length >= 2 and field.startswith('"') and field.endswith('"') -%}
            {%- set field = field[1:-1] | replace('""', '"') -%}
        {%- endif -%}
        {%- if field | trim == '' -%}
            {{ exceptions.raise_compiler_error(path ~ " line 1: header column " ~ row['position'] ~ " has no name.") }}
        {%- endif -%}
        {%- if field | lower in (names | map('lower') | list) -%}
            {{ exceptions.raise_compiler_error(path ~ " line 1: the header names column " ~ field ~ " twice.") }}
        {%- endif -%}
        {%- do names.append(field) -%}
    {%- endfor -%}
    {{- return(names) -}}
{% endmacro %}
