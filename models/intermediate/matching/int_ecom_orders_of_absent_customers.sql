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

absent_members as (
    select members.*
    from {{ ref('int_ecom_customer_members') }} as members
    inner join absent_customers
        on members.customer_key = absent_customers.customer_key
),

orders as (
    {{ orders_with_members(
        "(select order_key, storefront, customer_record_id, first_name, last_name, display_company_name,"
        ~ " postcode_raw, phone_raw from " ~ ref('int_ecom_orders') ~ " where is_valid and " ~ exists_at_gap_as_of('created_at') ~ ")",
        'absent_members'
    ) }}
),

final as (
    select
        order_key,
        customer_key,
        first_name,
        last_name,
        display_company_name,
        postcode_raw,
        phone_raw
    from orders
)

select * from final
