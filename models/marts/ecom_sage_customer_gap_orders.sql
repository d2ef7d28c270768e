{#
    One row per valid in-window order of an absent customer (in that order's entity),
    with whether Sage already holds it against a generic holding customer.
#}
with

absent_customers as (
    select * from {{ ref('int_ecom_absent_customers_classified') }}
    where {{ is_in_gap_scope('customer_type') }}
),

orders as (
    select * from {{ ref('int_ecom_orders_in_window') }}
),

final as (
    select
        orders.entity_id,
        orders.customer_key,
        orders.storefront,
        orders.order_id,
        orders.order_key,
        orders.order_number,
        orders.created_at,
        orders.currency,
        orders.order_total,
        orders.holding_document_id,
        orders.is_guest_order,
        absent_customers.customer_type,
        absent_customers.cohort,
        {{ gap_as_of() }} as as_of,
        orders.posted_to_holding
    from orders
    inner join absent_customers
        on
            orders.customer_key = absent_customers.customer_key
            and orders.entity_id is not distinct from absent_customers.entity_id
)

select * from final
