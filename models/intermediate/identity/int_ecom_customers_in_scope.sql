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
        member_id,
        member_kind,
        storefront,
        source_id,
        guest_order_key,
        customer_key
    from {{ ref('int_ecom_customer_members') }}
),

final as (
    select distinct customer_key
    from ({{ orders_with_members('window_orders', 'members') }}) as window_orders_with_members
)

select * from final
