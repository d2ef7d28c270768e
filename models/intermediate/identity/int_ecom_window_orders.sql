{#
    One row per valid order in the window, with the identity member it belongs to (its
    live customer record, or itself as a guest order) and so its ecommerce customer
    (customer_key), its Sage entity (and whether a field-map row placed it there) and
    its normalised order number. The customers
    of these orders are the customers in scope (int_ecom_customers_in_scope). Earlier
    orders are not carried: a customer's
    history is read from int_ecom_record_order_history (records) and its own order (a
    guest), so this model, and everything after it, is proportional to the window.
#}
with

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

assigned as (
    {{ orders_with_members(
        "(select order_key, storefront, order_id, order_number, customer_record_id, entity_id,"
        ~ " is_store_mapped, created_at, currency, order_total from " ~ ref('int_ecom_orders_as_of')
        ~ " where is_valid and is_in_window)",
        'members'
    ) }}
),

final as (
    select
        order_key,
        storefront,
        order_id,
        order_number,
        {{ normalise_order_number('order_number') }} as order_number_normalised,
        entity_id,
        is_store_mapped,
        created_at,
        currency,
        order_total,
        member_id,
        customer_key,
        is_guest_order
    from assigned
)

select * from final
