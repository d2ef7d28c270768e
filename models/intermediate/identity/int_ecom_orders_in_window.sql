{#
    One row per valid order in the window (gap_as_of - gap_window_days < created_at <=
    gap_as_of), with
    - the identity member it belongs to and so its ecommerce customer (customer_key);
    - the Sage entity it posts to: its storefront's field-map row for its store key,
      else the storefront's `*` row (is_store_mapped: one of them was found);
    - whether Sage already holds it against a generic holding customer
      (posted_to_holding): a live sales document of a customer that is a holding
      customer in the order's entity carries the order's number as its PO number, both
      compared after trim, lower case and dropping one leading `#`;
    - whether Sage holds it at all (has_sage_order): a live sales document of its
      entity, or of no entity, carries its number, whatever its customer (the order-
      level sibling card, ecom_orders_without_sage_order).
    Sales documents created after gap_as_of do not exist for this evaluation.
    The customers of these orders are the ones the card evaluates; everything after
    this model is proportional to the window, not to the whole history.

    Rejoin: int_ecom_orders is also int_ecom_customer_members' input; read here again
    for the order columns (number, store, total, currency) the members do not carry.
#}
with

window_orders as (
    select
        order_key,
        storefront,
        order_id,
        order_number,
        {{ normalise_order_number('order_number') }} as order_number_normalised,
        store_key,
        customer_record_id,
        created_at,
        currency,
        order_total
    from {{ ref('int_ecom_orders') }}
    where is_valid and {{ is_in_gap_window('created_at') }}
),

members as (
    select
        member_id,
        member_kind,
        storefront,
        source_id,
        guest_order_key,
        customer_key
    from {{ ref('int_ecom_customer_members') }}
),

storefront_map as (
    select * from {{ ref('stg_field_map__storefronts') }}
),

exact_store as (
    select * from storefront_map
    where store_key <> '*'
),

any_store as (
    select * from storefront_map
    where store_key = '*'
),

assigned as (
    {{ orders_with_members('window_orders', 'members') }}
),

posted as (
    select
        assigned.*,
        case
            when exact_store.storefront is not null then exact_store.entity_id
            else any_store.entity_id
        end as entity_id,
        coalesce(exact_store.storefront, any_store.storefront) is not null as is_store_mapped
    from assigned
    left join exact_store
        on
            assigned.storefront = exact_store.storefront
            and assigned.store_key = exact_store.store_key
    left join any_store
        on assigned.storefront = any_store.storefront
),

holding_customers as (
    select * from {{ ref('stg_field_map__holding_customers') }}
),

-- Live sales documents that exist at gap_as_of, with a PO number.
sales_documents as (
    select
        {{ normalise_order_number('po_number') }} as po_number_normalised,
        document_id,
        sage_customer_id,
        entity_id
    from {{ ref('stg_sage_intacct__sales_documents') }}
    where
        not is_deleted
        and {{ exists_at_gap_as_of('created_at', nullable=true) }}
        and po_number is not null
),

-- Those of a holding customer, with the holding row's entity limit.
holding_documents as (
    select
        sales_documents.po_number_normalised,
        sales_documents.document_id,
        holding_customers.entity_id as holding_entity_id
    from sales_documents
    inner join holding_customers
        on {{ normalise_account_ref('sales_documents.sage_customer_id') }} = holding_customers.account_ref
),

-- An order Sage holds at all: a document of the order's entity or of no entity (in a
-- single-entity company, where the whole master is visible, any document).
orders_in_sage as (
    select distinct posted.order_key
    from posted
    inner join sales_documents
        on posted.order_number_normalised = sales_documents.po_number_normalised
    where
        posted.entity_id is null
        or sales_documents.entity_id is null
        or sales_documents.entity_id = posted.entity_id
),

held_orders as (
    select
        posted.order_key,
        min(holding_documents.document_id) as holding_document_id
    from posted
    inner join holding_documents
        on posted.order_number_normalised = holding_documents.po_number_normalised
    where {{ holding_customer_applies('holding_documents.holding_entity_id', 'posted.entity_id') }}
    group by 1
),

final as (
    select
        posted.order_key,
        posted.storefront,
        posted.order_id,
        posted.order_number,
        posted.order_number_normalised,
        posted.entity_id,
        posted.is_store_mapped,
        posted.created_at,
        posted.currency,
        posted.order_total,
        posted.member_id,
        posted.customer_key,
        posted.is_guest_order,
        held_orders.holding_document_id,
        held_orders.order_key is not null as posted_to_holding,
        orders_in_sage.order_key is not null as has_sage_order
    from posted
    left join held_orders
        on posted.order_key = held_orders.order_key
    left join orders_in_sage
        on posted.order_key = orders_in_sage.order_key
)

select * from final
