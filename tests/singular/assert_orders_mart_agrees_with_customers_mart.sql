-- Every absent customer's in-window orders, value and holding postings in the
-- customers mart equal what the orders mart lists for it, and no order is orphaned.
with

customers as (
    select * from {{ ref('ecom_sage_customer_gap_customers') }}
),

orders as (
    select * from {{ ref('ecom_sage_customer_gap_orders') }}
),

order_totals as (
    select
        entity_id,
        customer_key,
        count(*) as orders,
        sum(order_total) as order_value,
        sum(case when posted_to_holding then 1 else 0 end) as posted_to_holding
    from orders
    group by 1, 2
)

select
    customers.orders_in_window,
    order_totals.orders,
    coalesce(customers.entity_id, order_totals.entity_id) as entity_id,
    coalesce(customers.customer_key, order_totals.customer_key) as customer_key
from customers
full outer join order_totals
    on
        customers.entity_id is not distinct from order_totals.entity_id
        and customers.customer_key = order_totals.customer_key
where
    customers.customer_key is null
    or order_totals.customer_key is null
    or customers.orders_in_window <> order_totals.orders
    or customers.order_value_in_window is distinct from order_totals.order_value
    or customers.orders_posted_to_holding <> order_totals.posted_to_holding
