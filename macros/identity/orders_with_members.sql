{#
    Which identity member an order belongs to: the member of its live customer record
    (same storefront and record id), else, for a guest order, the member that is the
    order itself. The one place this rule is written; scope and the assigned orders
    both use it.
    `orders_relation`: order_key, storefront, customer_record_id, and any other
    columns (carried along). `members_relation`: member_id, member_kind, storefront,
    source_id, guest_order_key, customer_key (int_ecom_customer_members or a subset).
    Returns one row per order that has a member there, with member_id, customer_key and
    is_guest_order.
#}
{% macro orders_with_members(orders_relation, members_relation) %}
    select
        orders.*,
        members.member_id,
        members.customer_key,
        false as is_guest_order
    from {{ orders_relation }} as orders
    inner join {{ members_relation }} as members
        on
            orders.storefront = members.storefront
            and orders.customer_record_id = members.source_id
            and members.member_kind = 'record'
    union all
    select
        orders.*,
        members.member_id,
        members.customer_key,
        true as is_guest_order
    from {{ orders_relation }} as orders
    inner join {{ members_relation }} as members
        on
            orders.order_key = members.guest_order_key
            and members.member_kind = 'guest_order'
{% endmacro %}
