{#
    One row per valid order up to gap_as_of of a customer in scope
    (int_ecom_customers_in_scope), with the identity member it belongs to (its live
    customer record, or itself as a guest order) and so its ecommerce customer
    (customer_key) and the order's normalised key values. Billing details are read
    from int_ecom_orders by order_key for the few orders that need them (guests' names,
    absent customers' contact details), not carried for every order here. Customers with no order in
    the window are never evaluated, so their history is not carried: this keeps the
    model, and everything after it, proportional to the window's customers.
#}
with

-- Only the columns used: the CTE is read twice, and a CTE read twice is materialised
-- with every column it selects.
orders as (
    select
        order_key,
        storefront,
        order_id,
        order_number,
        customer_record_id,
        entity_id,
        created_at,
        currency,
        order_total,
        is_in_window,
        email_raw,
        vat_number_text
    from {{ ref('int_ecom_orders_as_of') }}
    where is_valid
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

customers_in_scope as (
    select * from {{ ref('int_ecom_customers_in_scope') }}
),

scope_members as (
    select members.*
    from members
    inner join customers_in_scope
        on members.customer_key = customers_in_scope.customer_key
),

assigned as (
    {{ orders_with_members('orders', 'scope_members') }}
),

final as (
    select
        assigned.order_key,
        assigned.storefront,
        assigned.order_id,
        assigned.order_number,
        {{ normalise_order_number('assigned.order_number') }} as order_number_normalised,
        assigned.entity_id,
        assigned.created_at,
        assigned.currency,
        assigned.order_total,
        assigned.is_in_window,
        assigned.member_id,
        assigned.customer_key,
        assigned.is_guest_order,
        {{ normalise_email('assigned.email_raw') }} as email,
        {{ normalise_vat_number('assigned.vat_number_text') }} as vat_number
    from assigned
)

select * from final
