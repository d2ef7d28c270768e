with

source as (
    select * from {{ raw_source('shopify', 'order') }}
),

renamed as (
    select
        {{ clean_text('id') }} as shopify_order_id,
        {{ clean_text('name') }} as order_number,
        {{ clean_text('customer_id') }} as shopify_customer_id,
        {{ clean_text('email') }} as email,
        {{ parse_timestamp_utc('created_at') }} as created_at,
        {{ parse_timestamp_utc('cancelled_at') }} as cancelled_at,
        {{ parse_boolean('test') }} as is_test,
        upper({{ clean_text('currency') }}) as currency,
        {{ parse_money('total_price') }} as order_total,
        {{ clean_text('billing_address_first_name') }} as billing_first_name,
        {{ clean_text('billing_address_last_name') }} as billing_last_name,
        {{ clean_text('billing_address_company') }} as billing_company,
        {{ clean_text('billing_address_zip') }} as billing_postcode,
        {{ clean_text('billing_address_country_code') }} as billing_country_code,
        {{ clean_text('billing_address_phone') }} as billing_phone,
        {{ parse_boolean('_fivetran_deleted') }} as is_deleted
    from source
    -- Rows with a value that does not parse are rejected, not guessed: see
    -- stg_shopify__input_rejections.
    where {{ is_accepted_input_row('shopify', 'order') }}
)

select * from renamed
