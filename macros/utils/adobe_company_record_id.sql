{#
    Adobe Commerce companies and customers share the storefront's record namespace in
    this project, so a company's record id is prefixed to keep it apart from customer
    entity ids (`company-12` vs `12`).
#}
{% macro adobe_company_record_id(company_id_column) -%}
    {{ dbt.concat(["'company-'", company_id_column]) }}
{%- endmacro %}
