{#
    The generic-holding-customer look-through. An order is posted to a holding
    customer when a live Sage sales document of a customer that is a holding customer
    in the order's entity carries the order's number as its PO number, both compared
    after trim, lower-case and dropping one leading `#`. The holding record never
    makes the customer present.

    Inputs:
    - orders_relation: order_key, order_number_normalised (normalise_order_number),
      entity_id (the Sage entity the order posts to; null for a single-entity company);
    - documents_relation: Sage sales documents (document_id, sage_customer_id,
      po_number, is_deleted), as stg_sage_intacct__sales_documents;
    - holding_relation: one row per (evaluated_entity_id, account_ref) where a holding
      customer applies, as int_holding_customers_by_entity (the entity rule lives there).
    Returns one row per order_key of `orders_relation` with posted_to_holding and the
    lowest holding document id.
#}
{% macro look_through_holding_customers(orders_relation, documents_relation, holding_relation) %}
    {{- return(adapter.dispatch('look_through_holding_customers', 'ecom_sage_gap')(orders_relation, documents_relation, holding_relation)) -}}
{% endmacro %}

{% macro default__look_through_holding_customers(orders_relation, documents_relation, holding_relation) %}
    with

    holding_documents as (
        select
            {{ normalise_order_number('documents.po_number') }} as po_number_normalised,
            documents.document_id,
            holding.evaluated_entity_id
        from {{ documents_relation }} as documents
        inner join {{ holding_relation }} as holding
            on {{ normalise_account_ref('documents.sage_customer_id') }} = holding.account_ref
        where not documents.is_deleted and {{ exists_at_gap_as_of('documents.created_at', nullable=true) }}
    ),

    matched as (
        select
            orders.order_key,
            min(holding_documents.document_id) as holding_document_id
        from {{ orders_relation }} as orders
        inner join holding_documents
            on
                orders.order_number_normalised = holding_documents.po_number_normalised
                and orders.entity_id is not distinct from holding_documents.evaluated_entity_id
        group by 1
    )

    select
        orders.order_key,
        matched.order_key is not null as posted_to_holding,
        matched.holding_document_id
    from {{ orders_relation }} as orders
    left join matched
        on orders.order_key = matched.order_key
{% endmacro %}
