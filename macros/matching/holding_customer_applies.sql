{#
    True when a holding customer row (its entity_id, possibly null) applies in an
    evaluated entity (possibly null: a single-entity company). A holding row without an
    entity applies everywhere; one limited to entity E applies in E, and in a
    single-entity company, where every Sage row is visible. The one home of this rule:
    holding customers never make anyone present (int_sage_customers_by_entity), and the
    orders Sage holds against them are looked through (int_ecom_orders_in_window).
#}
{% macro holding_customer_applies(holding_entity_column, evaluated_entity_column) -%}
    ({{ evaluated_entity_column }} is null or {{ holding_entity_column }} is null or {{ holding_entity_column }} = {{ evaluated_entity_column }})
{%- endmacro %}
