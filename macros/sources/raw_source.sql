{#
    The relation a staging model reads for one source table.

    Warehouse mode: the dbt source itself. File mode (DuckDB targets, with the
    `raw_data_path` var set): DIR/<source>/<table>.parquet when that file exists (typed
    columns, as a connector lands them; staging casts them like warehouse columns),
    else DIR/<source>/<table>.csv read with every column as text, so header-only files
    and all-empty columns still build and staging does the typing.
    `source()` is always called so lineage and `dbt source` commands keep working.
    In file mode a missing file or a missing column fails with a message that names
    the file and the columns, rather than a bare engine error.
#}
{% macro raw_source(source_name, table_name) %}
    {{- return(adapter.dispatch('raw_source', 'ecom_sage_gap')(source_name, table_name)) -}}
{% endmacro %}

{% macro default__raw_source(source_name, table_name) %}
    {{- return(source(source_name, table_name)) -}}
{% endmacro %}

{% macro duckdb__raw_source(source_name, table_name) %}
    {%- set relation = source(source_name, table_name) -%}
    {%- set raw_data_path = var('raw_data_path', none) -%}
    {%- if not raw_data_path -%}
        {{- return(relation) -}}
    {%- endif -%}
    {%- set stem = (raw_data_path | string).rstrip('/') ~ '/' ~ source_name ~ '/' ~ table_name -%}
    {%- set parquet_path = "'" ~ ((stem ~ '.parquet') | replace("'", "''")) ~ "'" -%}
    {%- set file_path = stem ~ '.csv' -%}
    {%- set quoted_path = "'" ~ (file_path | replace("'", "''")) ~ "'" -%}
    {%- set reader -%}
        read_csv({{ quoted_path }}, header = true, all_varchar = true, delim = ',', quote = '"', escape = '"')
    {%- endset -%}
    {%- if execute -%}
        {%- if run_query("select count(*) from glob(" ~ parquet_path ~ ")").columns[0].values()[0] > 0 -%}
            {%- set file_path = stem ~ '.parquet' -%}
            {%- set quoted_path = parquet_path -%}
            {%- set reader = 'read_parquet(' ~ parquet_path ~ ')' -%}
        {%- endif -%}
        {{ check_raw_file(source_name, table_name, file_path, quoted_path, reader) }}
    {%- endif -%}
    {{- return(reader) -}}
{% endmacro %}

{#
    File mode check: the file exists and its header holds every column the source
    declares (extra columns are fine). Runs at execution time only.
#}
{% macro check_raw_file(source_name, table_name, file_path, quoted_path, reader) %}
    {%- set found = run_query("select count(*) from glob(" ~ quoted_path ~ ")").columns[0].values()[0] -%}
    {%- if found == 0 -%}
        {{ exceptions.raise_compiler_error(
            "File mode (raw_data_path=" ~ var('raw_data_path') ~ "): " ~ file_path ~ " does not exist. "
            ~ " (nor does its .parquet). Every table of an enabled source needs a CSV with its header row"
            ~ " (it may have no data rows) or a Parquet file"
            ~ ", or switch the storefront off with using_" ~ source_name ~ ": false."
        ) }}
    {%- endif -%}
    {%- set header = run_query("select column_name from (describe select * from " ~ reader ~ ")").columns[0].values() | map('lower') | list -%}
    {%- set missing = [] -%}
    {%- for node in graph.sources.values() -%}
        {%- if node.source_name == source_name and node.name == table_name -%}
            {%- for column in node.columns -%}
                {%- if column | lower not in header -%}
                    {%- do missing.append(column) -%}
                {%- endif -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if missing -%}
        {{ exceptions.raise_compiler_error(
            file_path ~ " is missing column(s) " ~ (missing | join(', '))
            ~ " (header has: " ~ (header | join(', ')) ~ "). Add them to the header; values may be empty."
        ) }}
    {%- endif -%}
{% endmacro %}
