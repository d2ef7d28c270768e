with

source as (
    select * from {{ raw_source('adobe_commerce', 'customer_entity') }}
),

renamed as (
    select
        {{ clean_text('entity_id') }} as adobe_customer_id,
        {{ clean_text('website_id') }} as website_id,
        {{ clean_text('email') }} as email,
        {{ clean_text('firstname') }} as first_name,
        {{ clean_text('lastname') }} as last_name,
        {{ clean_text('taxvat') }} as vat_number,
        {{ clean_text('group_id') }} as customer_group_id,
        {{ parse_boolean('is_active') }} as is_active,
        {{ parse_timestamp_utc('created_at') }} as created_at,
        {{ parse_timestamp_utc('updated_at') }} as updated_at
    from source
    -- Rows with a value that does not parse are rejected, not guessed: see
    -- stg_adobe_commerce__input_rejections.
    where {{ is_accepted_input_row('adobe_commerce', 'customer_entity') }}
)

select * from renamed
