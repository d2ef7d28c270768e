with

source as (
    select * from {{ raw_source('bigcommerce', 'customer_attribute') }}
),

renamed as (
    select
        {{ clean_text('id') }} as bigcommerce_customer_attribute_id,
        {{ clean_text('name') }} as attribute_name
    from source
)

select * from renamed
