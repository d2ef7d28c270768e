{#
    normalise_order_number(column) -> varchar or null

    The order number as it is compared with a Sage `sodocument.ponumber` (holding
    look-through): trimmed, lower-cased, and ONE leading `#` dropped, because Shopify
    order names carry a `#` (`#1001`) that finance may or may not type
    (`##5` -> `#5`: only one is dropped). Empty (or a lone `#`) -> null.
#}
{% macro normalise_order_number(column) -%}
    {%- set order_number = 'lower(' ~ normalisation_trim(column) ~ ')' -%}
    nullif(
        case
            when {{ order_number }} like '#%' then substring({{ order_number }}, 2)
            else {{ order_number }}
        end,
        ''
    )
{%- endmacro %}
