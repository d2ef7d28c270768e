{#
    One row per ecommerce customer with a valid order in the window (the ordering
    customers the card evaluates): its members grouped on their identity key, across
    storefronts. The type is b2b when any member is b2b. It carries what people read
    (name, email, VAT number, storefronts) and the customer's order history up to
    gap_as_of (first and latest valid order, how many), from its members' histories.

    Rejoins: int_ecom_customer_members and int_ecom_orders_in_window are also read by
    int_ecom_customer_key_values; the window's orders say who is a customer here, the
    members give their names and history, the key values their VAT numbers.
#}
with

customers_in_window as (
    select distinct customer_key
    from {{ ref('int_ecom_orders_in_window') }}
),

members as (
    select all_members.*
    from {{ ref('int_ecom_customer_members') }} as all_members
    inner join customers_in_window
        on all_members.customer_key = customers_in_window.customer_key
),

-- The lowest valid VAT number the identity holds anywhere (records, addresses,
-- orders): a B2B customer with one is not in the "VAT not keyed" cohort.
vat_numbers as (
    select
        customer_key,
        min(match_value) as vat_number
    from {{ ref('int_ecom_customer_key_values') }}
    where match_key = 'vat_number'
    group by 1
),

identities as (
    select
        customer_key,
        case
            when max(case when customer_type = 'b2b' then 1 else 0 end) = 1 then 'b2b'
            else 'dtc'
        end as customer_type,
        max(case when is_unidentified then 1 else 0 end) = 1 as is_unidentified,
        min(email) as email,
        min(vat_number) as vat_number,
        min(vat_number_raw) as vat_number_raw,
        min(account_ref) as account_ref,
        min(display_person_name) as display_person_name,
        min(display_company_name) as display_company_name,
        {{ string_agg_distinct_sorted('storefront', ', ') }} as storefronts,
        count(*) as members,
        min(first_order_at) as first_order_at,
        max(last_order_at) as last_order_at,
        cast(sum(orders_to_date) as {{ dbt.type_bigint() }}) as orders_to_date
    from members
    group by 1
),

final as (
    select
        identities.customer_key,
        identities.customer_type,
        identities.is_unidentified,
        identities.email,
        identities.account_ref,
        identities.storefronts,
        identities.members,
        identities.first_order_at,
        identities.last_order_at,
        case
            when identities.customer_type = 'b2b'
                then coalesce(identities.display_company_name, identities.display_person_name)
            else coalesce(identities.display_person_name, identities.display_company_name)
        end as customer_name,
        -- A valid VAT number shows normalised; an invalid one shows as keyed, so the
        -- finance lead sees what needs correcting.
        coalesce(identities.vat_number, vat_numbers.vat_number, identities.vat_number_raw) as vat_number,
        vat_numbers.vat_number is not null as has_valid_vat_number,
        coalesce(identities.orders_to_date, 0) as orders_to_date
    from identities
    left join vat_numbers
        on identities.customer_key = vat_numbers.customer_key
)

select * from final
