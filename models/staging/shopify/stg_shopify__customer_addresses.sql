with

source as (
    select * from {{ raw_source('shopify', 'customer_address') }}
),

renamed as (
    select
        {{ clean_text('id') }} as shopify_customer_address_id,
        {{ clean_text('customer_id') }} as shopify_customer_id,
        {{ clean_text('company') }} as company,
        {{ clean_text('zip') }} as postcode,
        {{ clean_text('country_code') }} as country_code,
        {{ clean_text('phone') }} as phone,
        {{ parse_boolean('is_default') }} as is_default
    from source
    -- Rows with a value that does not parse are rejected, not guessed: see
    -- stg_shopify__input_rejections.
    where {{ is_accepted_input_row('shopify', 'customer_address') }}
)

select * from renamed
