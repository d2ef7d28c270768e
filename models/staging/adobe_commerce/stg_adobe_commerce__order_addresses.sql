with

source as (
    select * from {{ raw_source('adobe_commerce', 'sales_order_address') }}
),

renamed as (
    select
        {{ clean_text('entity_id') }} as adobe_order_address_id,
        {{ clean_text('parent_id') }} as adobe_order_id,
        lower({{ clean_text('address_type') }}) as address_type,
        {{ clean_text('company') }} as company,
        {{ clean_text('postcode') }} as postcode,
        {{ clean_text('country_id') }} as country_code,
        {{ clean_text('telephone') }} as phone,
        {{ clean_text('email') }} as email,
        {{ clean_text('vat_id') }} as vat_number
    from source
)

select * from renamed
