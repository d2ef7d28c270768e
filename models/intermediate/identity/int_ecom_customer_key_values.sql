{#
    One row per (customer_key, match_key, match_value) of the customers with a valid
    order in the window: every normalised key value the identity holds, the union of
    - its members' own (record values with the most-recent-order fallback; a guest
      order's own);
    - its valid orders' up to gap_as_of (order or billing email, order VAT number);
    - its records' addresses' (Adobe Commerce address VAT ids).
    The identity key itself was chosen per member (int_ecom_customer_members); these are
    the values matching tries, and the VAT numbers that decide "has a valid VAT number".

    Rejoins: int_ecom_customer_members and int_ecom_orders are also read by
    int_ecom_orders_in_window, which only says who ordered in the window; the members
    give those customers' own values and int_ecom_orders every valid order's (the
    members keep none).
#}
with

customers_in_window as (
    select distinct customer_key
    from {{ ref('int_ecom_orders_in_window') }}
),

members as (
    select
        all_members.member_id,
        all_members.member_kind,
        all_members.storefront,
        all_members.source_id,
        all_members.guest_order_key,
        all_members.customer_key,
        all_members.email,
        all_members.vat_number,
        all_members.account_ref
    from {{ ref('int_ecom_customer_members') }} as all_members
    inner join customers_in_window
        on all_members.customer_key = customers_in_window.customer_key
),

member_keys as (
    {{ unpivot_match_keys('members', 'customer_key') }}
),

valid_orders as (
    select
        order_key,
        storefront,
        customer_record_id,
        email_raw,
        vat_number_text
    from {{ ref('int_ecom_orders') }}
    where is_valid and {{ exists_at_gap_as_of('created_at') }}
),

member_orders as (
    {{ orders_with_members('valid_orders', 'members') }}
),

-- Materialised so the optimiser cannot push the "normalised value is not null" filter
-- of the unpivot below the join: that would normalise the email of every stored
-- order, not only these customers' (4.8 s instead of 0.7 s at 10M orders).
order_values_as_keyed as {{ materialized_cte() }} (
    select distinct
        customer_key,
        email_raw,
        vat_number_text
    from member_orders
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
        members.customer_key,
        cast(null as {{ dbt.type_string() }}) as email,
        addresses.vat_number,
        cast(null as {{ dbt.type_string() }}) as account_ref
    from {{ ref('int_ecom_customer_addresses') }} as addresses
    inner join members
        on
            members.member_kind = 'record'
            and addresses.storefront = members.storefront
            and addresses.customer_record_id = members.source_id
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
