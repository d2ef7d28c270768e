{#
    One row per Adobe Commerce order, in the common columns of int_ecom_orders_unioned
    before its normalisation: whether its state lets it post, the customer record it
    points at (the company when the customer is linked to one; none for a guest), the
    store as its store key and the customer details it carries, as text: the order's
    own, else its first billing address's.
#}
{{ config(materialized='view') }}

with

orders as (
    select * from {{ ref('stg_adobe_commerce__orders') }}
),

order_addresses as (
    select * from {{ ref('stg_adobe_commerce__order_addresses') }}
),

company_customers as (
    select * from {{ ref('stg_adobe_commerce__company_customers') }}
),

-- An order may hold several billing addresses; the lowest address id is the one read.
billing_addresses as (
    select
        adobe_order_id,
        company,
        postcode,
        phone,
        email,
        vat_number,
        row_number() over (
            partition by adobe_order_id
            order by adobe_order_address_id
        ) as address_rank
    from order_addresses
    where address_type = 'billing'
),

final as (
    select
        'adobe_commerce' as storefront,
        orders.adobe_order_id as order_id,
        orders.order_number,
        orders.store_id as store_key,
        -- A customer linked to a company orders on the company's behalf.
        case
            when orders.is_guest then null
            when company_customers.adobe_company_id is not null
                then {{ adobe_company_record_id('company_customers.adobe_company_id') }}
            else orders.adobe_customer_id
        end as customer_record_id,
        orders.created_at,
        orders.currency,
        orders.order_total,
        -- Only a cancelled order never posts; an order without a state does.
        coalesce(orders.order_state <> 'canceled', true) as is_valid_status,
        coalesce(orders.email, billing_addresses.email) as email,
        coalesce(orders.vat_number, billing_addresses.vat_number) as vat_number,
        orders.first_name,
        orders.last_name,
        billing_addresses.company,
        billing_addresses.postcode,
        billing_addresses.phone
    from orders
    left join billing_addresses
        on
            orders.adobe_order_id = billing_addresses.adobe_order_id
            and billing_addresses.address_rank = 1
    left join company_customers
        on orders.adobe_customer_id = company_customers.adobe_customer_id
)

select * from final
