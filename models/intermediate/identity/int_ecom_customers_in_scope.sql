{#
    One row per ecommerce customer in scope: a customer (customer_key) with at least
    one valid order in the window, through its live record or as a guest order. The
    one place scope is decided; every later model is proportional to these customers,
    not to the whole history.
#}
with

window_orders as (
    select
        storefront,
        customer_record_id,
        order_key
    from {{ ref('int_ecom_orders_as_of') }}
    where is_valid and is_in_window
),

members as (
    select
        member_kind,
        storefront,
        source_id,
        guest_order_key,
        customer_key
    from {{ ref('int_ecom_customer_members') }}
),

record_members as (
    select * from members
    where member_kind = 'record'
),

guest_members as (
    select * from members
    where member_kind = 'guest_order'
),

final as (
    select record_members.customer_key
    from window_orders
    inner join record_members
        on
            window_orders.storefront = record_members.storefront
            and window_orders.customer_record_id = record_members.source_id
    union
    select guest_members.customer_key
    from window_orders
    inner join guest_members
        on window_orders.order_key = guest_members.guest_order_key
)

select * from final
