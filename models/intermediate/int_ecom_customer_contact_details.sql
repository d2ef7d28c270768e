{#
    One row per (customer_key, detail_type, detail_value): the normalised phones,
    postcodes, person names and company names of a customer, from its records, their
    addresses and its valid orders' billing details. The fuzzy duplicate check and the
    name-based reconciliation read this.
#}
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

addresses as (
    select * from {{ ref('int_ecom_customer_addresses') }}
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
        addresses.phone,
        addresses.postcode,
        cast(null as {{ dbt.type_string() }}) as person_name,
        addresses.company_name
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
