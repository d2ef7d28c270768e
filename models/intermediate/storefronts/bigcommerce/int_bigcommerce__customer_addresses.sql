{#
    One row per BigCommerce customer address, in the common columns of
    int_ecom_customer_addresses before its normalisation. BigCommerce addresses carry
    no VAT number.
#}
{{ config(materialized='view') }}

with

addresses as (
    select * from {{ ref('stg_bigcommerce__customer_addresses') }}
),

final as (
    select
        'bigcommerce' as storefront,
        bigcommerce_customer_address_id as address_id,
        bigcommerce_customer_id as customer_record_id,
        company,
        postcode,
        phone,
        cast(null as {{ dbt.type_string() }}) as vat_number
    from addresses
)

select * from final
