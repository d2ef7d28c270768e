{#
    The union of one model of every enabled storefront, `int_<storefront>__<suffix>`
    (they share their columns): the body of the thin union models, so a storefront is
    added by its folder and its name in enabled_storefronts. Fails, naming the vars,
    when every storefront is disabled.
#}
{% macro union_storefront_models(suffix) %}
    {%- set storefronts = enabled_storefronts() -%}
    {%- if storefronts | length == 0 -%}
        {{ exceptions.raise_compiler_error("All storefronts are disabled (using_shopify, using_bigcommerce, using_adobe_commerce): nothing to evaluate.") }}
    {%- endif -%}
    {%- for storefront in storefronts %}
    select * from {{ ref('int_' ~ storefront ~ '__' ~ suffix) }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{% endmacro %}
