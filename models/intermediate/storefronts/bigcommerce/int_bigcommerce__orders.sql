{#
    One row per BigCommerce order, in the common columns of int_ecom_orders_unioned
    before its normalisation: whether its status lets it post, the customer it points
    at (none for a guest checkout), the channel as its store key and the billing
    details it carries, as text. BigCommerce orders carry no VAT number.
#}
{{ config(materialized='view') }}

with

orders as (
    select * from {{ ref('stg_bigcommerce__orders') }}
),

final as (
    select
        'bigcommerce' as storefront,
        bigcommerce_order_id as order_id,
        order_number,
        channel_id as store_key,
        -- BigCommerce writes guest checkouts as customer_id 0.
        nullif(bigcommerce_customer_id, '0') as customer_record_id,
        created_at,
        currency,
        order_total,
        -- Status 0 incomplete, 5 cancelled, 6 declined never post.
        not is_deleted and coalesce(status_id not in (0, 5, 6), false) as is_valid_status,
        billing_email as email,
        cast(null as {{ dbt.type_string() }}) as vat_number,
        billing_first_name as first_name,
        billing_last_name as last_name,
        billing_company as company,
        billing_postcode as postcode,
        billing_phone as phone
    from orders
)

select * from final
