{#
    One row per Shopify customer address, in the common columns of
    int_ecom_customer_addresses before its normalisation. Shopify addresses carry no
    VAT number.
#}
{{ config(materialized='view') }}

with

addresses as (
    select * from {{ ref('stg_shopify__customer_addresses') }}
),

final as (
    select
        'shopify' as storefront,
        shopify_customer_address_id as address_id,
        shopify_customer_id as customer_record_id,
        company,
        postcode,
        phone,
        cast(null as {{ dbt.type_string() }}) as vat_number
    from addresses
)

select * from final
