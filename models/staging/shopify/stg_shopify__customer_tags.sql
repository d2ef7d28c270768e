with

source as (
    select * from {{ raw_source('shopify', 'customer_tag') }}
),

renamed as (
    select
        {{ clean_text('customer_id') }} as shopify_customer_id,
        cast({{ clean_text('index') }} as integer) as tag_index,
        {{ clean_text('value') }} as tag
    from source
)

select * from renamed
