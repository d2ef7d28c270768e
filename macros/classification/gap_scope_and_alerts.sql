{#
    True for an absent customer the card counts: every customer with gap_scope `all`,
    B2B customers only with `b2b`. The one place the scope filter is written; every
    mart that counts applies it.
#}
{% macro is_in_gap_scope(customer_type_column) -%}
    {%- if gap_scope() == 'b2b' -%}
        ({{ customer_type_column }} = 'b2b')
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

{#
    The card's alert columns from an entity's counts: the thresholds (vars, checked),
    whether each alert fires, and the sentiment (`customer_master_gap` when either
    fires, else `ok`). The headline and its history both select them, so they agree.
#}
{% macro gap_alert_columns(absent_customers_column, absent_b2b_customers_column) -%}
    {%- set threshold = alert_threshold('gap_alert_threshold', 10) -%}
    {%- set b2b_threshold = alert_threshold('gap_b2b_alert_threshold', 0) -%}
    cast({{ threshold }} as integer) as alert_threshold,
    cast({{ b2b_threshold }} as integer) as b2b_alert_threshold,
    {{ absent_customers_column }} > {{ threshold }} as is_alert,
    {{ absent_b2b_customers_column }} > {{ b2b_threshold }} as is_b2b_alert,
    case
        when
            {{ absent_customers_column }} > {{ threshold }}
            or {{ absent_b2b_customers_column }} > {{ b2b_threshold }}
            then 'customer_master_gap'
        else 'ok'
    end as sentiment
{%- endmacro %}
