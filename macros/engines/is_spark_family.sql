{#
    True on the Spark engines: dbt-spark (type `spark`) and dbt-databricks (type
    `databricks`) run the same SQL dialect, and both lack row deletes outside Delta
    tables and a plain varchar type; every Spark-specific switch asks this.
#}
{% macro is_spark_family() %}
    {{- return(target.type in ['spark', 'databricks']) -}}
{% endmacro %}
