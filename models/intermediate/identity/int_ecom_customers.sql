{#
    One row per ecommerce customer identity (customer_key): members grouped on their
    identity key, across storefronts. The type is b2b when any member is b2b. Key
    values for matching are in int_ecom_customer_match_values; this model carries what
    people read (name, email, VAT number) and the order history: first and latest
    valid order up to gap_as_of and how many, from its records' histories
    (int_ecom_record_order_history) and its guest orders. Only customers in scope (a
    valid order in the window) are listed.
#}
with

customers_in_scope as (
    select * from {{ ref('int_ecom_customers_in_scope') }}
),

-- A guest order's billing names and date; the person name is built after the join,
-- for guests only.
guest_orders as (
    select
        order_key,
        created_at,
        first_name,
        last_name,
        display_company_name
    from {{ ref('int_ecom_orders') }}
),

record_history as (
    select * from {{ ref('int_ecom_record_order_history') }}
),

-- record_id: the record id of a record member (null for a guest order), the key of its
-- history (an equality join: a condition on member_kind in the join would not be one).
scope_members as (
    select
        all_members.*,
        case when all_members.member_kind = 'record' then all_members.source_id end as record_id
    from {{ ref('int_ecom_customer_members') }} as all_members
    inner join customers_in_scope
        on all_members.customer_key = customers_in_scope.customer_key
),

-- A guest member's names are its order's billing names, and its order history is
-- that order; a record's history is its valid orders'.
members as (
    select
        scope_members.customer_key,
        scope_members.storefront,
        scope_members.customer_type,
        scope_members.is_unidentified,
        scope_members.email,
        scope_members.vat_number,
        scope_members.vat_number_raw,
        scope_members.account_ref,
        coalesce(
            scope_members.display_person_name,
            nullif(trim({{ full_name('guest_orders.first_name', 'guest_orders.last_name') }}), '')
        ) as display_person_name,
        coalesce(scope_members.display_company_name, guest_orders.display_company_name)
            as display_company_name,
        coalesce(record_history.first_order_at, guest_orders.created_at) as first_order_at,
        coalesce(record_history.last_order_at, guest_orders.created_at) as last_order_at,
        coalesce(
            record_history.orders_to_date,
            case when guest_orders.order_key is not null then 1 else 0 end
        ) as orders_to_date
    from scope_members
    left join guest_orders
        on scope_members.guest_order_key = guest_orders.order_key
    left join record_history
        on
            scope_members.storefront = record_history.storefront
            and scope_members.record_id = record_history.customer_record_id
),

key_values as (
    select * from {{ ref('int_ecom_customer_key_values') }}
),

-- The lowest valid VAT number the identity holds anywhere (records, addresses,
-- orders): a B2B customer with one is not in the "VAT not keyed" cohort.
vat_numbers as (
    select
        customer_key,
        min(match_value) as vat_number
    from key_values
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
        count(*) as members
    from members
    group by 1
),

order_history as (
    select
        customer_key,
        min(first_order_at) as first_order_at,
        max(last_order_at) as last_order_at,
        cast(sum(orders_to_date) as {{ dbt.type_bigint() }}) as orders_to_date
    from members
    group by 1
),

-- An order's storefront is its member's.
storefront_lists as (
    select
        customer_key,
        {{ string_agg_distinct_sorted('storefront', ', ') }} as storefronts
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
        storefront_lists.storefronts,
        identities.members,
        order_history.first_order_at,
        order_history.last_order_at,
        case
            when identities.customer_type = 'b2b'
                then coalesce(identities.display_company_name, identities.display_person_name)
            else coalesce(identities.display_person_name, identities.display_company_name)
        end as customer_name,
        -- A valid VAT number shows normalised; an invalid one shows as keyed, so the
        -- finance lead sees what needs correcting.
        coalesce(identities.vat_number, vat_numbers.vat_number, identities.vat_number_raw) as vat_number,
        vat_numbers.vat_number is not null as has_valid_vat_number,
        coalesce(order_history.orders_to_date, 0) as orders_to_date
    from identities
    left join order_history
        on identities.customer_key = order_history.customer_key
    left join storefront_lists
        on identities.customer_key = storefront_lists.customer_key
    left join vat_numbers
        on identities.customer_key = vat_numbers.customer_key
)

select * from final
