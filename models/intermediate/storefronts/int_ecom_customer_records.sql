{#
    One row per live storefront customer record: Shopify and BigCommerce customers
    that are not deleted, Adobe Commerce customers not linked to a company, and Adobe
    Commerce companies (a linked customer orders on its company's behalf, so the
    company is the ecommerce customer). Key values are the record's own, normalised;
    the fallback to the most recent order happens in int_ecom_customer_members.

    A thin union: each storefront's rules live in its folder
    (int_<storefront>__customer_records); here the records are normalised alike.
#}

with

unioned as (
    {{ union_storefront_models('customer_records') }}
),

final as (
    select
        {{ dbt.concat(["storefront", "':'", "customer_record_id"]) }} as record_key,
        storefront,
        customer_record_id,
        customer_type,
        {{ normalise_email('email') }} as email,
        {{ vat_number_as_keyed('vat_number') }} as vat_number_raw,
        {{ normalise_vat_number('vat_number') }} as vat_number,
        {{ normalise_account_ref('account_ref') }} as account_ref,
        nullif(trim({{ full_name('first_name', 'last_name') }}), '')
            as display_person_name,
        company as display_company_name,
        trading_company as trading_company_name,
        first_name,
        last_name,
        phone as phone_raw,
        postcode as postcode_raw,
        created_at
    from unioned
)

select * from final
