with

source as (
    select * from {{ raw_source('bigcommerce', 'orders') }}
),

renamed as (
    select
        {{ clean_text('id') }} as bigcommerce_order_id,
        {{ clean_text('id') }} as order_number,
        {{ clean_text('customer_id') }} as bigcommerce_customer_id,
        {{ parse_timestamp_utc('date_created') }} as created_at,
        cast({{ clean_text('status_id') }} as integer) as status_id,
        {{ parse_boolean('is_deleted') }} as is_deleted,
        {{ clean_text('channel_id') }} as channel_id,
        upper({{ clean_text('currency_code') }}) as currency,
        {{ parse_money('total_inc_tax') }} as order_total,
        {{ clean_text('billing_address_first_name') }} as billing_first_name,
        {{ clean_text('billing_address_last_name') }} as billing_last_name,
        {{ clean_text('billing_address_company') }} as billing_company,
        {{ clean_text('billing_address_email') }} as billing_email,
        {{ clean_text('billing_address_zip') }} as billing_postcode,
        {{ clean_text('billing_address_country_iso_2') }} as billing_country_code,
        {{ clean_text('billing_address_phone') }} as billing_phone
    from source
    -- Rows with a value that does not parse are rejected, not guessed: see
    -- stg_bigcommerce__input_rejections.
    where {{ is_accepted_input_row('bigcommerce', 'orders') }}
)

select * from renamed
