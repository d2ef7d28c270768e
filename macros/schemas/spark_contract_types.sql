{#
    Spark: the mart contracts declare DuckDB type names. dbt checks a contract by casting
    null to each declared type and comparing the result's column types with the
    model's; Spark has no plain `varchar` (it needs a length) nor `hugeint`, so those
    names are read as the Spark types a model yields for them. Every other declared
    type (bigint, integer, boolean, double, decimal(p, s), timestamp) is a Spark type
    as written. Overrides dbt's get_empty_schema_sql on Spark only (root-project
    macros come first in dbt's dispatch).
#}
{% macro spark__get_empty_schema_sql(columns) %}
    {%- set spark_types = {'varchar': 'string', 'text': 'string', 'hugeint': 'decimal(38, 0)', 'double precision': 'double'} -%}
    {%- set converted = {} -%}
    {%- for name, column in columns.items() -%}
        {%- set data_type = column.get('data_type') -%}
        {%- set copy = column.copy() if column.copy is defined else dict(column) -%}
        {%- if data_type is not none and data_type is defined and data_type | trim | lower in spark_types -%}
            {%- do copy.update({'data_type': spark_types[data_type | trim | lower]}) -%}
        {%- endif -%}
        {%- do converted.update({name: copy}) -%}
    {%- endfor -%}
    {{- return(default__get_empty_schema_sql(converted)) -}}
{% endmacro %}
