{#
    One row per storefront customer address, every enabled storefront, attributed to
    the customer record it describes (an Adobe Commerce customer linked to a company
    describes its company), with its normalised VAT number (only Adobe Commerce
    addresses carry one). Company, postcode and phone stay as text: they are
    normalised for absent customers only (int_ecom_absent_customer_details).
#}
{%- set storefronts = enabled_storefronts() %}

with

{% if 'shopify' in storefronts -%}
shopify_addresses as (
    select
        'shopify' as storefront,
        shopify_customer_address_id as address_id,
        shopify_customer_id as customer_record_id,
        company,
        postcode,
        phone,
        cast(null as {{ dbt.type_string() }}) as vat_number
    from {{ ref('stg_shopify__customer_addresses') }}
),

{% endif -%}
{% if 'bigcommerce' in storefronts -%}
bigcommerce_addresses as (
    select
        'bigcommerce' as storefront,
        bigcommerce_customer_address_id as address_id,
        bigcommerce_customer_id as customer_record_id,
        company,
        postcode,
        phone,
        cast(null as {{ dbt.type_string() }}) as vat_number
    from {{ ref('stg_bigcommerce__customer_addresses') }}
),

{% endif -%}
{% if 'adobe_commerce' in storefronts -%}
adobe_company_customers as (
    select * from {{ ref('stg_adobe_commerce__company_customers') }}
),

-- A linked customer's addresses describe its company, the record it orders as.
adobe_commerce_addresses as (
    select
        'adobe_commerce' as storefront,
        addresses.adobe_customer_address_id as address_id,
        case
            when adobe_company_customers.adobe_company_id is not null
                then {{ adobe_company_record_id('adobe_company_customers.adobe_company_id') }}
            else addresses.adobe_customer_id
        end as customer_record_id,
        addresses.company,
        addresses.postcode,
        addresses.phone,
        addresses.vat_number
    from {{ ref('stg_adobe_commerce__customer_addresses') }} as addresses
    left join adobe_company_customers
        on addresses.adobe_customer_id = adobe_company_customers.adobe_customer_id
),

{% endif -%}
unioned as (
    {%- for storefront in storefronts %}
    select * from {{ storefront }}_addresses
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
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
