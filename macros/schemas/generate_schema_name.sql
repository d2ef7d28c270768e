{#
    A custom schema is used exactly as named (`marts`), not prefixed with the
    target schema (dbt's default would give `main_marts`): BI tools and the
    publication read `marts.<table>` whatever the target.
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
