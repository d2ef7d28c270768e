{#
    One row per (customer_key, detail_type, detail_value): the normalised phones,
    postcodes, person names and company names of a customer, from its records, their
    addresses and its valid orders' billing details. The fuzzy duplicate check and the
    name-based reconciliation read this.
#}
{%- set storefronts = enabled_storefronts() -%}

with

records as (
    select * from {{ ref('int_ecom_customer_records') }}
),

members as (
    select * from {{ ref('int_ecom_customer_members') }}
),

orders as (
    select * from {{ ref('int_ecom_orders_assigned_to_customers') }}
),

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

addresses as (
    select
        cast(null as {{ dbt.type_string() }}) as storefront,
        cast(null as {{ dbt.type_string() }}) as customer_record_id,
        cast(null as {{ dbt.type_string() }}) as company,
        cast(null as {{ dbt.type_string() }}) as postcode,
        cast(null as {{ dbt.type_string() }}) as phone
    where false
    {% if 'shopify' in storefronts %}
    union all
    select
        'shopify' as storefront,
        shopify_customer_id as customer_record_id,
        company,
        postcode,
        phone
    from shopify_addresses
    {% endif %}
    {% if 'bigcommerce' in storefronts %}
    union all
    select
        'bigcommerce' as storefront,
        bigcommerce_customer_id as customer_record_id,
        company,
        postcode,
        phone
    from bigcommerce_addresses
    {% endif %}
    {% if 'adobe_commerce' in storefronts %}
    union all
    -- A linked customer's addresses describe its company.
    select
        'adobe_commerce' as storefront,
        case
            when adobe_company_customers.adobe_company_id is not null
                then {{ adobe_company_record_id('adobe_company_customers.adobe_company_id') }}
            else adobe_addresses.adobe_customer_id
        end as customer_record_id,
        adobe_addresses.company,
        adobe_addresses.postcode,
        adobe_addresses.phone
    from adobe_addresses
    left join adobe_company_customers
        on adobe_addresses.adobe_customer_id = adobe_company_customers.adobe_customer_id
    {% endif %}
),

record_details as (
    select
        members.customer_key,
        records.phone,
        records.postcode,
        records.person_name,
        records.company_name
    from records
    inner join members
        on
            members.member_kind = 'record'
            and records.storefront = members.storefront
            and records.customer_record_id = members.source_id
),

address_details as (
    select
        members.customer_key,
        {{ normalise_phone('addresses.phone') }} as phone,
        {{ normalise_postcode('addresses.postcode') }} as postcode,
        cast(null as {{ dbt.type_string() }}) as person_name,
        {{ normalise_company_name('addresses.company') }} as company_name
    from addresses
    inner join members
        on
            members.member_kind = 'record'
            and addresses.storefront = members.storefront
            and addresses.customer_record_id = members.source_id
),

order_details as (
    select
        customer_key,
        phone,
        postcode,
        person_name,
        company_name
    from orders
),

all_details as (
    select * from record_details
    union all
    select * from address_details
    union all
    select * from order_details
),

unpivoted as (
    select
        customer_key,
        'phone' as detail_type,
        phone as detail_value
    from all_details
    union all
    select
        customer_key,
        'postcode' as detail_type,
        postcode as detail_value
    from all_details
    union all
    select
        customer_key,
        'person_name' as detail_type,
        person_name as detail_value
    from all_details
    union all
    select
        customer_key,
        'company_name' as detail_type,
        company_name as detail_value
    from all_details
),

final as (
    select distinct
        customer_key,
        detail_type,
        detail_value
    from unpivoted
    where detail_value is not null
)

select * from final
