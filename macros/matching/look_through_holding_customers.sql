{#
    The generic-holding-customer look-through. An order is posted to a holding
    customer when a live Sage sales document of a holding customer (limited to that
    holding row's entity when it names one) carries the order's number as its PO
    number, both compared after trim, lower-case and dropping one leading `#`.
    Returns one row per order_key of `orders_relation` with posted_to_holding and the
    holding document ids; the holding record never makes the customer present.
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
            holding.entity_id as holding_entity_id
        from {{ documents_relation }} as documents
        inner join {{ holding_relation }} as holding
            on {{ normalise_account_ref('documents.sage_customer_id') }} = holding.account_ref
        where not documents.is_deleted
    ),

    matched as (
        select
            orders.order_key,
            min(holding_documents.document_id) as holding_document_id
        from {{ orders_relation }} as orders
        inner join holding_documents
            on
                orders.order_number_normalised = holding_documents.po_number_normalised
                and (
                    holding_documents.holding_entity_id is null
                    or orders.entity_id is null
                    or holding_documents.holding_entity_id = orders.entity_id
                )
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
