with

source as (
    select * from {{ raw_source('sage_intacct', 'customer') }}
),

renamed as (
    select
        {{ clean_text('recordno') }} as sage_record_number,
        {{ clean_text('customerid') }} as sage_customer_id,
        {{ clean_text('name') }} as customer_name,
        lower({{ clean_text('status') }}) as status,
        {{ clean_text('megaentityid') }} as entity_id,
        {{ clean_text('objectrestriction') }} as object_restriction,
        {{ clean_text('taxid') }} as tax_id,
        {{ clean_text('displaycontact_taxid') }} as contact_tax_id,
        {{ clean_text('displaycontact_email_1') }} as contact_email_1,
        {{ clean_text('displaycontact_email_2') }} as contact_email_2,
        {{ clean_text('displaycontact_phone_1') }} as contact_phone,
        {{ clean_text('displaycontact_cellphone') }} as contact_cellphone,
        {{ clean_text('displaycontact_firstname') }} as contact_first_name,
        {{ clean_text('displaycontact_lastname') }} as contact_last_name,
        {{ clean_text('displaycontact_companyname') }} as contact_company_name,
        {{ clean_text('displaycontact_mailaddress_zip') }} as contact_postcode,
        {{ clean_text('displaycontact_mailaddress_countrycode') }} as contact_country_code,
        {{ parse_timestamp_utc('whencreated') }} as created_at,
        {{ parse_timestamp_utc('whenmodified') }} as modified_at,
        {{ parse_timestamp_utc('_fivetran_synced') }} as fivetran_synced_at,
        {{ parse_boolean('_fivetran_deleted') }} as is_deleted
    from source
    -- Rows with a value that does not parse are rejected, not guessed: see
    -- stg_sage_intacct__input_rejections.
    where {{ is_accepted_input_row('sage_intacct', 'customer') }}
)

select * from renamed
