{#
    One row per rejected (input row, column) across the enabled sources, from each
    source's stg_<source>__input_rejections view.
#}
{%- set sources = enabled_storefronts() + ['sage_intacct'] -%}

with

{% for source_name in sources %}
{{ source_name }}_rejections as (
    select * from {{ ref('stg_' ~ source_name ~ '__input_rejections') }}
),

{% endfor %}
unioned as (
    {% for source_name in sources %}
    select * from {{ source_name }}_rejections
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select * from unioned
