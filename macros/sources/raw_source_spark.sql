{#
    File mode on Spark (the `raw_data_path` var set): DIR/<source>/<table>.parquet when
    that file exists, else DIR/<source>/<table>.csv, as on DuckDB (duckdb__raw_source).

    Each file is registered as an external table over the file, in the schema
    <target schema>_raw_files, table <source>__<table>, dropped and created again at every
    read (dropping an external table leaves the file alone). A table and not a temporary
    view: the staging models are views, and Spark refuses a permanent view over a
    temporary one. `select * from csv.`path`` takes no options (no header row, no
    quote or escape character), so it cannot read the dialect.

    The CSV dialect is duckdb's read_raw_csv's: comma, `"` quote and escape (a quote
    doubled inside a quoted value), a header row giving the column names, no comment
    character, a quoted value may hold line breaks (multiLine), and every column is text
    (no schema inference). FAILFAST makes a row Spark cannot read an error of the query
    that reads it; DuckDB's row check (check_raw_csv_rows, with the line number) has no
    Spark counterpart here. Relative paths are read from the directory dbt runs in, as
    on DuckDB.

    Once registered, the table is read like a warehouse table (its columns and types
    from the engine, then adapt_raw_columns).
#}
{% macro spark__landed_raw_table(source_name, table_name, check_rows) %}
    {%- set relation = source(source_name, table_name) -%}
    {%- set raw_data_path = var('raw_data_path', none) -%}
    {%- if not raw_data_path -%}
        {{- return(default__landed_raw_table(source_name, table_name, check_rows)) -}}
    {%- endif -%}
    {%- if not execute -%}
        {{- return({'relation': relation, 'label': relation, 'columns': none}) -}}
    {%- endif -%}
    {%- set folder = (raw_data_path | string).rstrip('/') ~ '/' ~ source_name -%}
    {%- set csv_path = folder ~ '/' ~ table_name ~ '.csv' -%}
    {%- set parquet_path = folder ~ '/' ~ table_name ~ '.parquet' -%}
    {%- set files = spark_raw_files(folder) -%}
    {%- set file_relation = api.Relation.create(
        schema=target.schema ~ '_raw_files', identifier=source_name ~ '__' ~ table_name
    ) -%}
    {%- if table_name ~ '.parquet' in files -%}
        {%- do spark_register_raw_file(file_relation, files[table_name ~ '.parquet'], 'parquet', {}) -%}
        {%- set label = parquet_path -%}
    {%- elif table_name ~ '.csv' in files -%}
        {%- do spark_register_raw_file(file_relation, files[table_name ~ '.csv'], 'csv', {
            'header': 'true', 'inferSchema': 'false', 'sep': ',', 'quote': '"', 'escape': '"',
            'multiLine': 'true', 'mode': 'FAILFAST', 'encoding': 'UTF-8'
        }) -%}
        {%- set label = csv_path -%}
    {%- else -%}
        {{ raise_raw_file_missing(raw_data_path, csv_path, source_name) }}
    {%- endif -%}
    {%- set columns = [] -%}
    {%- for column in adapter.get_columns_in_relation(file_relation) -%}
        {%- do columns.append({'name': column.name, 'data_type': column.dtype}) -%}
    {%- endfor -%}
    {{- return({'relation': file_relation, 'label': label, 'columns': columns}) -}}
{% endmacro %}

{#
    The files of one source folder: {file name: absolute path} (Spark's binaryFile
    source lists a folder; only the path column is read, not the contents). Spark SQL
    has no other way to ask whether a file exists, and a table's path option must be
    absolute (a relative one is read inside the schema's warehouse folder); the listing
    gives both. A missing folder fails naming it.
#}
{% macro spark_raw_files(folder) %}
    {%- set listing = run_query('select path from binaryFile.`' ~ folder ~ '`') -%}
    {%- set files = {} -%}
    {%- for path in listing.columns[0].values() -%}
        {%- do files.update({(path | string).split('/')[-1]: path | string}) -%}
    {%- endfor -%}
    {{- return(files) -}}
{% endmacro %}

{# (Re)creates the external table `relation` over one file, with reader `options`. #}
{% macro spark_register_raw_file(relation, path, file_format, options) %}
    {%- set option_list = ["path '" ~ (path | replace("'", "\\'")) ~ "'"] -%}
    {%- for key, value in options.items() -%}
        {%- do option_list.append(key ~ " '" ~ (value | replace('\\', '\\\\') | replace("'", "\\'")) ~ "'") -%}
    {%- endfor -%}
    {%- do run_query('create schema if not exists ' ~ relation.schema) -%}
    {%- do run_query('drop table if exists ' ~ relation) -%}
    {%- do run_query('create table ' ~ relation ~ ' using ' ~ file_format ~ ' options (' ~ (option_list | join(', ')) ~ ')') -%}
{% endmacro %}
