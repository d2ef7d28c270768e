{#
    One row per storefront customer address, attributed to the customer record it
    describes (an Adobe Commerce customer linked to a company describes its company),
    with its normalised VAT number; company, postcode and phone stay as text
    (normalised for absent customers in int_ecom_customer_contact_details).

    A thin union: each storefront's rules live in its folder
    (int_<storefront>__customer_addresses); here the addresses are keyed alike.
#}

with

unioned as (
    {{ union_storefront_models('customer_addresses') }}
),

final as (
    select
        {{ dbt.concat(["storefront", "':'", "address_id"]) }} as address_key,
        storefront,
        customer_record_id,
        company as company_raw,
        postcode as postcode_raw,
        phone as phone_raw,
        {{ normalise_vat_number('vat_number') }} as vat_number
    from unioned
)

select * from final
