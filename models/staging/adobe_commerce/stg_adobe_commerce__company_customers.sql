with

source as (
    select * from {{ raw_source('adobe_commerce', 'company_advanced_customer_entity') }}
),

renamed as (
    select
        {{ clean_text('customer_id') }} as adobe_customer_id,
        {{ clean_text('company_id') }} as adobe_company_id
    from source
)

select * from renamed
