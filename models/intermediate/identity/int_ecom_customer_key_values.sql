{#
    One row per (customer_key, match_key, match_value): every normalised key value the
    identity holds, the union of its members' (record values, with the most-recent-order
    fallback; guest orders' own), its records' addresses' (Adobe Commerce address VAT
    ids) and its valid orders' up to gap_as_of (order / billing email, order VAT).
    The identity key itself was chosen per member; these are the values matching tries.
    Only customers in scope (a valid order in the window) are listed.
#}
with

members as (
    select * from {{ ref('int_ecom_customer_members') }}
),

addresses as (
    select * from {{ ref('int_ecom_customer_addresses') }}
),

customers_in_scope as (
    select * from {{ ref('int_ecom_customers_in_scope') }}
),

members_in_scope as (
    select members.*
    from members
    inner join customers_in_scope
        on members.customer_key = customers_in_scope.customer_key
),

member_keys as (
    {{ unpivot_match_keys('members_in_scope', 'customer_key') }}
),

order_values_as_keyed as (
    select * from {{ ref('int_ecom_customer_order_values_as_keyed') }}
),

order_values as (
    select
        customer_key,
        {{ normalise_email('email_raw') }} as email,
        {{ normalise_vat_number('vat_number_text') }} as vat_number,
        cast(null as {{ dbt.type_string() }}) as account_ref
    from order_values_as_keyed
),

order_keys as (
    {{ unpivot_match_keys('order_values', 'customer_key') }}
),

address_values as (
    select
        members_in_scope.customer_key,
        cast(null as {{ dbt.type_string() }}) as email,
        addresses.vat_number,
        cast(null as {{ dbt.type_string() }}) as account_ref
    from addresses
    inner join members_in_scope
        on
            members_in_scope.member_kind = 'record'
            and addresses.storefront = members_in_scope.storefront
            and addresses.customer_record_id = members_in_scope.source_id
    where addresses.vat_number is not null
),

address_keys as (
    {{ unpivot_match_keys('address_values', 'customer_key') }}
),

final as (
    select
        customer_key,
        match_key,
        match_value
    from member_keys
    union
    select
        customer_key,
        match_key,
        match_value
    from order_keys
    union
    select
        customer_key,
        match_key,
        match_value
    from address_keys
)

select * from final
