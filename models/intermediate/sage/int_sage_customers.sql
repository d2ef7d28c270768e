{#
    One row per live (not deleted) Sage Intacct customer master record, with the
    normalised values the card matches on: VAT number (taxid, else the contact's
    taxid; a placeholder taxid falls through), account reference (customerid), phones,
    postcode, and person and company names. Emails are in int_sage_customer_match_values.
#}
with

sage_customers as (
    select * from {{ ref('stg_sage_intacct__customers') }}
),

final as (
    select
        sage_record_number,
        sage_customer_id,
        {{ normalise_account_ref('sage_customer_id') }} as account_ref,
        customer_name,
        status,
        entity_id,
        coalesce(lower(object_restriction) = 'rootonly', false) as is_root_only,
        coalesce(
            {{ normalise_vat_number('tax_id') }},
            {{ normalise_vat_number('contact_tax_id') }}
        ) as vat_number,
        coalesce({{ vat_number_as_keyed('tax_id') }}, {{ vat_number_as_keyed('contact_tax_id') }}) as vat_number_raw,
        contact_email_1,
        contact_email_2,
        {{ normalise_phone('contact_phone') }} as phone,
        {{ normalise_phone('contact_cellphone') }} as cellphone,
        {{ normalise_postcode('contact_postcode') }} as postcode,
        -- Person name: the contact's first + last name, else the customer name.
        coalesce(
            {{ normalise_person_name(full_name('contact_first_name', 'contact_last_name')) }},
            {{ normalise_person_name('customer_name') }}
        ) as person_name,
        -- Company name: the contact's company name, else the customer name.
        {{ normalise_company_name('coalesce(contact_company_name, customer_name)') }} as company_name,
        created_at,
        modified_at,
        fivetran_synced_at
    from sage_customers
    -- A row created after gap_as_of does not exist for this evaluation (a null
    -- whencreated means it existed): a backfilled instant sees the master as it stood.
    where not is_deleted and {{ exists_at_gap_as_of('created_at', nullable=true) }}
)

select * from final
