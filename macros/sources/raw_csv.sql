{#
    File mode CSV reading on DuckDB: the fixed dialect (docs/definition/raw-inputs.md).
    DuckDB reads the data with the dialect set, nothing sniffed (its sniffer can take `#`
    for a comment character and drop rows that start with it). What SQL is not the tool
    for, reading the header row and naming the line of a bad row, is done in Python by
    the project's dbt-duckdb plugin (python/ecom_sage_gap_raw_files.py), through the
    functions it registers: raw_csv_header and raw_csv_first_bad_row.
#}

{#
    The strict reader: comma, `"` quote and escape, a header row, no comment character,
    every column text, the columns being the file's own header. strict_mode without null
    padding makes a row with too many or too few fields an error, never a padded row.
    `options` adds reader options.
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

{# The column names of a CSV file's header row; a bad header fails naming the file. #}
{% macro raw_csv_header(path) %}
    {%- set result = fromjson(run_query('select raw_csv_header(' ~ quote_raw_path(path) ~ ')').columns[0].values()[0]) -%}
    {%- if result.get('problem') -%}
        {{ exceptions.raise_compiler_error(result['problem']) }}
    {%- endif -%}
    {{- return(result['columns']) -}}
{% endmacro %}

{#
    Every row of the file has as many fields as the header, or the build fails naming
    the file, the physical line of the first bad row and how many there are. Two DuckDB
    scans find out whether any row is bad: the strict reader setting bad rows aside
    (rejects tables, dropped after), and the same reader with one column more, which
    reads only the rows with one field too many (DuckDB's strict mode lets such a row
    through when its extra field is empty, a trailing comma, its values shifted). Only
    then does the plugin read the file to name the line.
#}
{% macro check_raw_csv_rows(source_name, table_name, path, columns) %}
    {%- set rejects = 'raw_csv_rejects_' ~ source_name ~ '__' ~ table_name -%}
    {%- set scans = 'raw_csv_scans_' ~ source_name ~ '__' ~ table_name -%}
    {%- do run_query('select count(*) from ' ~ read_raw_csv(path, columns,
        ", ignore_errors = true, store_rejects = true, rejects_table = '" ~ rejects ~ "', rejects_scan = '" ~ scans ~ "'")) -%}
    {%- set rejected_rows = run_query('select count(*) from temp.main.' ~ rejects).columns[0].values()[0] -%}
    {%- do run_query('drop table if exists temp.main.' ~ rejects ~ '; drop table if exists temp.main.' ~ scans) -%}
    {%- set long_rows = run_query('select count(*) from '
        ~ read_raw_csv(path, columns + ['__one_field_too_many__'], ', ignore_errors = true')).columns[0].values()[0] -%}
    {%- if rejected_rows == 0 and long_rows == 0 -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- set problem = run_query('select raw_csv_first_bad_row(' ~ quote_raw_path(path) ~ ', ' ~ (columns | length) ~ ')').columns[0].values()[0] -%}
    {{ exceptions.raise_compiler_error(
        (problem or path ~ ": " ~ (rejected_rows + long_rows) ~ " row(s) DuckDB could not read with the dialect")
        ~ ". File mode reads CSV with a fixed dialect: comma-separated, a header row, every row as many"
        ~ " fields as the header; a value holding a comma, a double quote or a line break is enclosed in"
        ~ " double quotes, a quote inside it doubled (\"\"); no comment lines (# is data)."
    ) }}
{% endmacro %}
