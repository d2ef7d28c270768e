with

source as (
    select * from {{ raw_source('bigcommerce', 'customer') }}
),

renamed as (
    select
        {{ clean_text('id') }} as bigcommerce_customer_id,
        {{ clean_text('email') }} as email,
        {{ clean_text('first_name') }} as first_name,
        {{ clean_text('last_name') }} as last_name,
        {{ clean_text('company') }} as company,
        {{ clean_text('phone') }} as phone,
        {{ clean_text('customer_group_id') }} as customer_group_id,
        {{ parse_timestamp_utc('date_created') }} as created_at,
        {{ parse_timestamp_utc('date_modified') }} as updated_at,
        {{ parse_boolean('_fivetran_deleted') }} as is_deleted
    from source
    -- Rows with a value that does not parse are rejected, not guessed: see
    -- stg_bigcommerce__input_rejections.
    where {{ is_accepted_input_row('bigcommerce', 'customer') }}
)

select * from renamed
