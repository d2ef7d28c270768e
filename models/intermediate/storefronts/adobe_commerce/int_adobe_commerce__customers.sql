{#
    One row per live Adobe Commerce customer record, in the common columns of
    int_ecom_customer_members before their normalisation: every customer not linked to
    a company (the storefront's default type), and every company (b2b). A linked
    customer orders on its company's behalf, so the company is the ecommerce customer
    and the customer is not a record of its own. Key values as the storefront holds
    them.
#}
{{ config(materialized='view') }}

with

customers as (
    select * from {{ ref('stg_adobe_commerce__customers') }}
),

companies as (
    select * from {{ ref('stg_adobe_commerce__companies') }}
),

company_customers as (
    select * from {{ ref('stg_adobe_commerce__company_customers') }}
),

storefront_map as (
    select * from {{ ref('stg_field_map__storefronts') }}
),

-- The storefront's `*` row of the field map sets the type of an unlinked customer;
-- without one, Adobe Commerce customers are dtc.
default_type as (
    select max(default_customer_type) as default_customer_type
    from storefront_map
    where storefront = 'adobe_commerce' and store_key = '*'
),

customer_records as (
    select
        'adobe_commerce' as storefront,
        customers.adobe_customer_id as customer_record_id,
        coalesce(default_type.default_customer_type, 'dtc') as customer_type,
        customers.email,
        customers.vat_number,
        cast(null as {{ dbt.type_string() }}) as account_ref,
        customers.first_name,
        customers.last_name,
        cast(null as {{ dbt.type_string() }}) as company,
        cast(null as {{ dbt.type_string() }}) as trading_company,
        cast(null as {{ dbt.type_string() }}) as phone,
        cast(null as {{ dbt.type_string() }}) as postcode,
        customers.created_at
    from customers
    cross join default_type
    where not exists (
        select 1
        from company_customers
        where company_customers.adobe_customer_id = customers.adobe_customer_id
    )
),

company_records as (
    select
        'adobe_commerce' as storefront,
        {{ adobe_company_record_id('adobe_company_id') }} as customer_record_id,
        'b2b' as customer_type,
        email,
        vat_number,
        account_ref,
        cast(null as {{ dbt.type_string() }}) as first_name,
        cast(null as {{ dbt.type_string() }}) as last_name,
        coalesce(legal_name, company_name) as company,
        -- A company trades under company_name and is registered as legal_name; a Sage
        -- record may be keyed under either, so both are names of the customer.
        case when legal_name is not null then company_name end as trading_company,
        phone,
        postcode,
        cast(null as timestamp) as created_at
    from companies
),

final as (
    select * from customer_records
    union all
    select * from company_records
)

select * from final
