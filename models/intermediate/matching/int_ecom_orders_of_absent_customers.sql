{#
    One row per valid order up to gap_as_of of a customer absent in at least one
    entity, with its billing details as text (names, company, postcode, phone) as
    stored in int_ecom_orders. A table of its own: the duplicate check normalises
    these details for these orders only (a filter on a normalised detail would
    otherwise be evaluated on every stored order before the join).
#}
with

absent_customers as (
    select distinct customer_key
    from {{ ref('int_ecom_customers_absent') }}
),

orders as (
    select
        order_key,
        customer_key
    from {{ ref('int_ecom_orders_assigned_to_customers') }}
),

stored_orders as (
    select
        order_key,
        first_name,
        last_name,
        display_company_name,
        postcode_raw,
        phone_raw
    from {{ ref('int_ecom_orders') }}
),

final as (
    select
        orders.order_key,
        orders.customer_key,
        stored_orders.first_name,
        stored_orders.last_name,
        stored_orders.display_company_name,
        stored_orders.postcode_raw,
        stored_orders.phone_raw
    from orders
    inner join absent_customers
        on orders.customer_key = absent_customers.customer_key
    inner join stored_orders
        on orders.order_key = stored_orders.order_key
)

select * from final
