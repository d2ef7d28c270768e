with

source as (
    select * from {{ raw_source('adobe_commerce', 'company') }}
),

renamed as (
    select
        {{ clean_text('entity_id') }} as adobe_company_id,
        {{ clean_text('status') }} as company_status,
        {{ clean_text('company_name') }} as company_name,
        {{ clean_text('legal_name') }} as legal_name,
        {{ clean_text('company_email') }} as email,
        {{ clean_text('vat_tax_id') }} as vat_number,
        {{ clean_text('reseller_id') }} as account_ref,
        {{ clean_text('postcode') }} as postcode,
        {{ clean_text('country_id') }} as country_code,
        {{ clean_text('telephone') }} as phone
    from source
)

select * from renamed
