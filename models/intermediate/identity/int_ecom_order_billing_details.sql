{#
    One row per valid order of a customer in scope (int_ecom_orders_assigned_to_customers)
    with the names, company, postcode and phone of its billing details, as text. The
    storefront tables are read once here for the few orders that need these details,
    instead of storing them for every order in int_ecom_orders.
#}
with

orders as (
    select * from {{ ref('int_ecom_orders_assigned_to_customers') }}
),

unioned as (
    select * from {{ ref('int_ecom_orders_unioned') }}
),

final as (
    select
        orders.order_key,
        orders.customer_key,
        unioned.display_person_name,
        unioned.display_company_name,
        unioned.first_name,
        unioned.last_name,
        unioned.postcode_raw,
        unioned.phone_raw
    from orders
    inner join unioned
        on orders.order_key = unioned.order_key
)

select * from final
