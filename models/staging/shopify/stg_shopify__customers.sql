with

source as (
    select * from {{ raw_source('shopify', 'customer') }}
),

renamed as (
    select
        {{ clean_text('id') }} as shopify_customer_id,
        {{ clean_text('email') }} as email,
        {{ clean_text('first_name') }} as first_name,
        {{ clean_text('last_name') }} as last_name,
        {{ clean_text('phone') }} as phone,
        lower({{ clean_text('state') }}) as account_state,
        {{ parse_timestamp_utc('created_at') }} as created_at,
        {{ parse_timestamp_utc('updated_at') }} as updated_at,
        {{ parse_timestamp_utc('_fivetran_synced') }} as fivetran_synced_at,
        {{ parse_boolean('_fivetran_deleted') }} as is_deleted
    from source
    -- Rows with a value that does not parse are rejected, not guessed: see
    -- stg_shopify__input_rejections.
    where {{ is_accepted_input_row('shopify', 'customer') }}
)

select * from renamed
