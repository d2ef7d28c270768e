{#
    One row per distinct (customer_key, email, VAT number) as keyed on the valid orders
    up to gap_as_of of a customer in scope (order / billing email, order VAT), not yet
    normalised. int_ecom_customer_key_values normalises each distinct value once.

    A table of its own: in one query with the normalisation, the optimiser would push
    the "normalised value is not null" filter of the key unpivot below the join and
    normalise the email of every stored order, not only these customers'.
#}
with

members as (
    select * from {{ ref('int_ecom_customer_members') }}
),

customers_in_scope as (
    select * from {{ ref('int_ecom_customers_in_scope') }}
),

members_in_scope as (
    select
        members.member_id,
        members.member_kind,
        members.storefront,
        members.source_id,
        members.guest_order_key,
        members.customer_key
    from members
    inner join customers_in_scope
        on members.customer_key = customers_in_scope.customer_key
),

-- Every valid order up to gap_as_of of these customers, from the stored orders (no
-- entity is needed).
member_orders as (
    {{ orders_with_members(
        "(select order_key, storefront, customer_record_id, email_raw, vat_number_text from "
        ~ ref('int_ecom_orders') ~ " where is_valid and " ~ exists_at_gap_as_of('created_at') ~ ")",
        'members_in_scope'
    ) }}
),

final as (
    select distinct
        customer_key,
        email_raw,
        vat_number_text
    from member_orders
)

select * from final
