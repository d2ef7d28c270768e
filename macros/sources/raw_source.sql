{#
    The relation a staging model reads for one source table.

    Warehouse mode: the dbt source itself. File mode (DuckDB targets, with the
    `raw_data_path` var set): DIR/<source>/<table>.csv read with every column as text,
    so header-only files and all-empty columns still build and staging does the typing.
    `source()` is always called so lineage and `dbt source` commands keep working.
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
    {%- if raw_data_path -%}
        {%- set file_path = raw_data_path ~ '/' ~ source_name ~ '/' ~ table_name ~ '.csv' -%}
        {%- set reader -%}
            read_csv(
                '{{ file_path | replace("'", "''") }}',
                header = true,
                all_varchar = true,
                auto_detect = true,
                delim = ',',
                quote = '"',
                escape = '"'
            )
        {%- endset -%}
        {{- return(reader) -}}
    {%- else -%}
        {{- return(relation) -}}
    {%- endif -%}
{% endmacro %}
