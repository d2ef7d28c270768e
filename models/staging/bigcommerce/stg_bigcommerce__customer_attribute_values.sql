with

source as (
    select * from {{ raw_source('bigcommerce', 'customer_attribute_value') }}
),

renamed as (
    select
        {{ clean_text('id') }} as bigcommerce_customer_attribute_value_id,
        {{ clean_text('customer_id') }} as bigcommerce_customer_id,
        {{ clean_text('attribute_id') }} as bigcommerce_customer_attribute_id,
        {{ clean_text('attribute_value') }} as attribute_value
    from source
)

select * from renamed
