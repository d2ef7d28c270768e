{#
    The storefronts switched on by the using_<storefront> vars, in a fixed order. With
    every storefront switched off there is nothing to evaluate: that fails naming the vars.
#}
{% macro enabled_storefronts() %}
    {%- set storefronts = [] -%}
    {%- for storefront in ['shopify', 'bigcommerce', 'adobe_commerce'] -%}
        {%- set switch = var('using_' ~ storefront, true) -%}
        {%- if switch is not boolean -%}
            {{ exceptions.raise_compiler_error("using_" ~ storefront ~ " must be true or false, got '" ~ switch ~ "'") }}
        {%- endif -%}
        {%- if switch -%}
            {%- do storefronts.append(storefront) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if not storefronts -%}
        {{ exceptions.raise_compiler_error("Every storefront is switched off (using_shopify, using_bigcommerce, using_adobe_commerce): nothing to evaluate.") }}
    {%- endif -%}
    {{- return(storefronts) -}}
{% endmacro %}

{# A SQL list of lower-cased string literals, e.g. `'b2b', 'wholesale'`. #}
{% macro sql_string_list(values) %}
    {%- set quoted = [] -%}
    {%- for value in values -%}
        {%- do quoted.append("'" ~ (value | string | lower | trim | replace("'", "''")) ~ "'") -%}
    {%- endfor -%}
    {{- return(quoted | join(', ') if quoted else "''") -}}
{% endmacro %}

{# first + ' ' + last as one expression, either part possibly null. #}
{% macro full_name(first_name, last_name) -%}
    {{ dbt.concat(["coalesce(" ~ first_name ~ ", '')", "' '", "coalesce(" ~ last_name ~ ", '')"]) }}
{%- endmacro %}
