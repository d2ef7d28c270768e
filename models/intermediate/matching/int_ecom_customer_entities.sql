{#
    One row per (customer_key, entity_id) where the customer has at least one valid
    order in the window posting to that Sage entity (entity_id null for a
    single-entity company): the unit the card evaluates.
#}
with

orders as (
    select * from {{ ref('int_ecom_window_orders') }}
),

final as (
    select
        customer_key,
        entity_id,
        count(*) as orders_in_window,
        sum(order_total) as order_value_in_window,
        min(created_at) as first_order_at_in_window,
        max(created_at) as last_order_at_in_window
    from orders
    group by 1, 2
)

select * from final
