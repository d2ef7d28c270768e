{#
    One row per Shopify order, in the common columns of int_ecom_orders_unioned before
    its normalisation: whether its status lets it post, the customer it points at and
    the billing details it carries, as text. Shopify has no store key and no order VAT
    number.
#}
{{ config(materialized='view') }}

with

orders as (
    select * from {{ ref('stg_shopify__orders') }}
),

final as (
    select
        'shopify' as storefront,
        shopify_order_id as order_id,
        order_number,
        cast(null as {{ dbt.type_string() }}) as store_key,
        shopify_customer_id as customer_record_id,
        created_at,
        currency,
        order_total,
        -- Deleted, test and cancelled orders never post.
        not is_deleted and not is_test and cancelled_at is null as is_valid_status,
        email,
        cast(null as {{ dbt.type_string() }}) as vat_number,
        billing_first_name as first_name,
        billing_last_name as last_name,
        billing_company as company,
        billing_postcode as postcode,
        billing_phone as phone
    from orders
)

select * from final
