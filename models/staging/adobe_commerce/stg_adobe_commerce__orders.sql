with

source as (
    select * from {{ raw_source('adobe_commerce', 'sales_order') }}
),

renamed as (
    select
        {{ clean_text('entity_id') }} as adobe_order_id,
        {{ clean_text('increment_id') }} as order_number,
        {{ clean_text('store_id') }} as store_id,
        {{ clean_text('customer_id') }} as adobe_customer_id,
        {{ parse_boolean('customer_is_guest') }} as is_guest,
        {{ clean_text('customer_email') }} as email,
        {{ clean_text('customer_firstname') }} as first_name,
        {{ clean_text('customer_lastname') }} as last_name,
        {{ clean_text('customer_taxvat') }} as vat_number,
        lower({{ clean_text('state') }}) as order_state,
        {{ parse_timestamp_utc('created_at') }} as created_at,
        upper({{ clean_text('order_currency_code') }}) as currency,
        {{ parse_money('grand_total') }} as order_total
    from source
    -- Rows with a value that does not parse are rejected, not guessed: see
    -- stg_adobe_commerce__input_rejections.
    where {{ is_accepted_input_row('adobe_commerce', 'sales_order') }}
)

select * from renamed
