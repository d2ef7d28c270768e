{#
    One row per (customer_key, detail_type, detail_value): the normalised phones,
    postcodes, person names and company names of a customer absent in at least one
    entity, from its records (an Adobe Commerce company: its legal and its trading
    name), their addresses and its valid orders' billing details.
    The fuzzy duplicate check and the name-based reconciliation read this, for absent
    customers only, so only they are normalised.
#}
with

absent as (
    select * from {{ ref('int_ecom_customers_absent') }}
),

records as (
    select * from {{ ref('int_ecom_customer_records') }}
),

members as (
    select * from {{ ref('int_ecom_customer_members') }}
),

addresses as (
    select * from {{ ref('int_ecom_customer_addresses') }}
),

absent_orders as (
    select * from {{ ref('int_ecom_orders_of_absent_customers') }}
),

absent_customers as (
    select distinct customer_key
    from absent
),

absent_members as (
    select members.*
    from members
    inner join absent_customers
        on members.customer_key = absent_customers.customer_key
),

absent_records as (
    select
        records.*,
        absent_members.customer_key
    from records
    inner join absent_members
        on
            absent_members.member_kind = 'record'
            and records.storefront = absent_members.storefront
            and records.customer_record_id = absent_members.source_id
),

record_details as (
    select
        customer_key,
        phone_raw,
        postcode_raw,
        {{ normalise_person_name(full_name('first_name', 'last_name')) }} as person_name,
        display_company_name as company_raw
    from absent_records
),

-- An Adobe Commerce company's trading name, beside its legal name above.
record_trading_names as (
    select
        customer_key,
        cast(null as {{ dbt.type_string() }}) as phone_raw,
        cast(null as {{ dbt.type_string() }}) as postcode_raw,
        cast(null as {{ dbt.type_string() }}) as person_name,
        trading_company_name as company_raw
    from absent_records
    where trading_company_name is not null
),

address_details as (
    select
        absent_members.customer_key,
        addresses.phone_raw,
        addresses.postcode_raw,
        cast(null as {{ dbt.type_string() }}) as person_name,
        addresses.company_raw
    from addresses
    inner join absent_members
        on
            absent_members.member_kind = 'record'
            and addresses.storefront = absent_members.storefront
            and addresses.customer_record_id = absent_members.source_id
),

order_details as (
    select
        customer_key,
        phone_raw,
        postcode_raw,
        {{ normalise_person_name(full_name('first_name', 'last_name')) }} as person_name,
        display_company_name as company_raw
    from absent_orders
),

unioned_details as (
    select * from record_details
    union all
    select * from record_trading_names
    union all
    select * from address_details
    union all
    select * from order_details
),

all_details as (
    select
        customer_key,
        {{ normalise_phone('phone_raw') }} as phone,
        {{ normalise_postcode('postcode_raw') }} as postcode,
        person_name,
        {{ normalise_company_name('company_raw') }} as company_name
    from unioned_details
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
