{#
    One row per storefront customer address, attributed to the customer record it
    describes (an Adobe Commerce customer linked to a company describes its company),
    with its normalised VAT number; company, postcode and phone stay as text
    (normalised for absent customers in int_ecom_customer_contact_details).
#}
{%- set storefronts = enabled_storefronts() -%}

with

{% if 'shopify' in storefronts %}
shopify_addresses as (
    select * from {{ ref('stg_shopify__customer_addresses') }}
),
{% endif %}

{% if 'bigcommerce' in storefronts %}
bigcommerce_addresses as (
    select * from {{ ref('stg_bigcommerce__customer_addresses') }}
),
{% endif %}

{% if 'adobe_commerce' in storefronts %}
adobe_addresses as (
    select * from {{ ref('stg_adobe_commerce__customer_addresses') }}
),

adobe_company_customers as (
    select * from {{ ref('stg_adobe_commerce__company_customers') }}
),
{% endif %}

unioned as (
    select
        cast(null as {{ dbt.type_string() }}) as storefront,
        cast(null as {{ dbt.type_string() }}) as address_id,
        cast(null as {{ dbt.type_string() }}) as customer_record_id,
        cast(null as {{ dbt.type_string() }}) as company,
        cast(null as {{ dbt.type_string() }}) as postcode,
        cast(null as {{ dbt.type_string() }}) as phone,
        cast(null as {{ dbt.type_string() }}) as vat_number
    where false
    {% if 'shopify' in storefronts %}
    union all
    select
        'shopify' as storefront,
        shopify_customer_address_id as address_id,
        shopify_customer_id as customer_record_id,
        company,
        postcode,
        phone,
        cast(null as {{ dbt.type_string() }}) as vat_number
    from shopify_addresses
    {% endif %}
    {% if 'bigcommerce' in storefronts %}
    union all
    select
        'bigcommerce' as storefront,
        bigcommerce_customer_address_id as address_id,
        bigcommerce_customer_id as customer_record_id,
        company,
        postcode,
        phone,
        cast(null as {{ dbt.type_string() }}) as vat_number
    from bigcommerce_addresses
    {% endif %}
    {% if 'adobe_commerce' in storefronts %}
    union all
    select
        'adobe_commerce' as storefront,
        adobe_addresses.adobe_customer_address_id as address_id,
        case
            when adobe_company_customers.adobe_company_id is not null
                then {{ adobe_company_record_id('adobe_company_customers.adobe_company_id') }}
            else adobe_addresses.adobe_customer_id
        end as customer_record_id,
        adobe_addresses.company,
        adobe_addresses.postcode,
        adobe_addresses.phone,
        adobe_addresses.vat_number
    from adobe_addresses
    left join adobe_company_customers
        on adobe_addresses.adobe_customer_id = adobe_company_customers.adobe_customer_id
    {% endif %}
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
