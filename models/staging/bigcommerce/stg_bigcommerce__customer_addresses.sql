with

source as (
    select * from {{ raw_source('bigcommerce', 'customer_address') }}
),

renamed as (
    select
        {{ clean_text('id') }} as bigcommerce_customer_address_id,
        {{ clean_text('customer_id') }} as bigcommerce_customer_id,
        {{ clean_text('company') }} as company,
        {{ clean_text('postal_code') }} as postcode,
        {{ clean_text('country_code') }} as country_code,
        {{ clean_text('phone') }} as phone
    from source
)

select * from renamed
