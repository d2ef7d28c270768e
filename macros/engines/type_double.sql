{#
    The double-precision floating-point type: `double precision` (SQL's name, which
    DuckDB and PostgreSQL read), `double` on Spark, which reads only that. The marts'
    contracts declare `double precision`; spark__get_empty_schema_sql reads it as
    `double`.
#}
{% macro type_double() %}
    {{- return(adapter.dispatch('type_double', 'ecom_sage_gap')()) -}}
{% endmacro %}

{% macro default__type_double() -%}
    double precision
{%- endmacro %}

{% macro spark__type_double() -%}
    double
{%- endmacro %}
