{#
    One row per (customer_key, detail_type, detail_value): the normalised phones,
    postcodes, person names and company names of a customer absent in at least one
    entity, from its records (an Adobe Commerce company: its legal and its trading
    name), their addresses, and its valid orders' billing details up to gap_as_of.
    The fuzzy duplicate check and the name comparison of the reconciliation read this.
    Only absent customers' details are normalised: a matched customer needs none.

    Rejoin: int_ecom_orders is also int_ecom_customer_members' input; read here again
    for the billing details of the absent customers' orders, which the members do not
    carry.
#}
with

absent_customers as (
    select distinct customer_key
    from {{ ref('int_ecom_customers_matched_to_sage') }}
    where not is_present
),

-- Members of absent customers. Reading the members again, beside the matching that
-- decided who is absent, is what keeps this model to the absent customers' rows.
absent_members as (
    select members.*
    from {{ ref('int_ecom_customer_members') }} as members
    inner join absent_customers
        on members.customer_key = absent_customers.customer_key
),

record_details as (
    select
        customer_key,
        phone_raw,
        postcode_raw,
        {{ normalise_person_name(full_name('first_name', 'last_name')) }} as person_name,
        display_company_name as company_raw
    from absent_members
    where member_kind = 'record'
),

-- An Adobe Commerce company's trading name, beside its legal name above.
record_trading_names as (
    select
        customer_key,
        cast(null as {{ dbt.type_string() }}) as phone_raw,
        cast(null as {{ dbt.type_string() }}) as postcode_raw,
        cast(null as {{ dbt.type_string() }}) as person_name,
        trading_company_name as company_raw
    from absent_members
    where member_kind = 'record' and trading_company_name is not null
),

address_details as (
    select
        absent_members.customer_key,
        addresses.phone_raw,
        addresses.postcode_raw,
        cast(null as {{ dbt.type_string() }}) as person_name,
        addresses.company_raw
    from {{ ref('int_ecom_customer_addresses') }} as addresses
    inner join absent_members
        on
            absent_members.member_kind = 'record'
            and addresses.storefront = absent_members.storefront
            and addresses.customer_record_id = absent_members.source_id
),

valid_orders as (
    select
        order_key,
        storefront,
        customer_record_id,
        first_name,
        last_name,
        display_company_name,
        postcode_raw,
        phone_raw
    from {{ ref('int_ecom_orders') }}
    where is_valid and {{ exists_at_gap_as_of('created_at') }}
),

-- Materialised so the optimiser cannot push the "normalised detail is not null"
-- filter below the join: that would normalise the billing details of every stored
-- order, not only the absent customers'.
absent_orders as {{ materialized_cte() }} (
    {{ orders_with_members('valid_orders', 'absent_members') }}
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
