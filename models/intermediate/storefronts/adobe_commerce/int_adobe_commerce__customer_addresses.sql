{#
    One row per Adobe Commerce customer address, in the common columns of
    int_ecom_customer_addresses before its normalisation, attributed to the customer
    record it describes: the company when the customer is linked to one.
#}
{{ config(materialized='view') }}

with

addresses as (
    select * from {{ ref('stg_adobe_commerce__customer_addresses') }}
),

company_customers as (
    select * from {{ ref('stg_adobe_commerce__company_customers') }}
),

final as (
    select
        'adobe_commerce' as storefront,
        addresses.adobe_customer_address_id as address_id,
        -- A linked customer's addresses describe its company, the record it orders as.
        case
            when company_customers.adobe_company_id is not null
                then {{ adobe_company_record_id('company_customers.adobe_company_id') }}
            else addresses.adobe_customer_id
        end as customer_record_id,
        addresses.company,
        addresses.postcode,
        addresses.phone,
        addresses.vat_number
    from addresses
    left join company_customers
        on addresses.adobe_customer_id = company_customers.adobe_customer_id
)

select * from final
