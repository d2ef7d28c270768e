-- Orders of absent customers that Sage already holds against a generic holding
-- customer: run beside Order Entry -> Sales Orders filtered to the holding customer.
-- Each row names the real customer behind the holding posting and the Sage document.
select
    orders.entity_id,
    orders.holding_document_id as sage_document_id,
    orders.order_number,
    orders.storefront,
    orders.created_at,
    orders.order_total,
    customers.customer_name,
    customers.email,
    customers.vat_number,
    customers.cohort,
    customers.recommended_action
from {{ ref('ecom_sage_customer_gap_orders') }} as orders
inner join {{ ref('ecom_sage_customer_gap_customers') }} as customers
    on
        orders.customer_key = customers.customer_key
        and orders.entity_id is not distinct from customers.entity_id
where orders.posted_to_holding
order by orders.entity_id, orders.created_at
