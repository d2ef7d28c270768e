{#
    One row per member of an ecommerce customer identity: every live storefront
    customer record, and every guest order (no record, a deleted record, a record id
    that matches nothing, BigCommerce customer 0, Adobe guest). Each member carries its
    key values (the record's own; where the record has none, its most recent valid
    order's, even if that is null) and its identity key, the first key of its type's
    precedence list that has a value. Members sharing an identity key are one customer.
#}
with

-- Only the columns used: the CTE is read more than once, and a CTE read twice is
-- materialised with every column it selects. The stored orders are read by each step
-- below on its own instead (narrow scans of a stored table cost less than
-- materialising ten million orders once).
records as (
    select
        record_key,
        storefront,
        customer_record_id,
        customer_type,
        email,
        vat_number,
        vat_number_raw,
        account_ref,
        display_person_name,
        display_company_name
    from {{ ref('int_ecom_customer_records') }}
),

precedence as (
    select * from {{ ref('int_match_key_precedence') }}
),

-- Storefronts whose orders carry a VAT number at all (Adobe Commerce does; Shopify
-- and BigCommerce orders never do).
storefronts_with_order_vat as (
    select distinct storefront
    from {{ ref('int_ecom_orders') }}
    where vat_number_text is not null and {{ exists_at_gap_as_of('created_at') }}
),

-- A record needs its latest order only for a value it lacks: an email, or a VAT
-- number where orders can carry one. Everyone else's fallback would be unused.
fallback_records as (
    select
        records.storefront,
        records.customer_record_id
    from records
    left join storefronts_with_order_vat
        on records.storefront = storefronts_with_order_vat.storefront
    where
        records.email is null
        or (records.vat_number is null and storefronts_with_order_vat.storefront is not null)
),

-- Record ids that valid orders point at but that are not a live record (deleted, or
-- never seen): their orders are guest orders.
unlinked_record_ids as (
    select
        record_history.storefront,
        record_history.customer_record_id
    from {{ ref('int_ecom_record_order_history') }} as record_history
    left join records
        on
            record_history.storefront = records.storefront
            and record_history.customer_record_id = records.customer_record_id
    where records.customer_record_id is null
),

-- Guest orders: valid orders up to gap_as_of whose record is not live (no record, a
-- deleted record, a record id that matches nothing).
guest_orders as (
    select
        orders.order_key,
        orders.storefront,
        orders.order_id,
        orders.email_raw,
        orders.vat_number_text
    from {{ ref('int_ecom_orders') }} as orders
    left join unlinked_record_ids
        on
            orders.storefront = unlinked_record_ids.storefront
            and orders.customer_record_id = unlinked_record_ids.customer_record_id
    where
        orders.is_valid
        and {{ exists_at_gap_as_of('orders.created_at') }}
        and (orders.customer_record_id is null or unlinked_record_ids.customer_record_id is not null)
),

-- The valid orders up to gap_as_of of the live records that need a fallback value.
fallback_orders as (
    select
        orders.storefront,
        orders.customer_record_id,
        orders.order_id,
        orders.created_at,
        orders.email_raw,
        orders.vat_number_text
    from {{ ref('int_ecom_orders') }} as orders
    inner join fallback_records
        on
            orders.storefront = fallback_records.storefront
            and orders.customer_record_id = fallback_records.customer_record_id
    where orders.is_valid and {{ exists_at_gap_as_of('orders.created_at') }}
),

-- The latest valid order of each record (ties: highest order id) supplies the key
-- values the record itself lacks; they are normalised only where the record lacks
-- its own (coalesce evaluates them for those rows alone).
latest_record_orders as (
    {{ latest_order_values(
        'fallback_orders',
        group_by=['storefront', 'customer_record_id'],
        value_columns=['email_raw', 'vat_number_text']
    ) }}
),

record_members as (
    select
        {{ dbt.concat(["'record:'", "records.record_key"]) }} as member_id,
        'record' as member_kind,
        records.storefront,
        cast(null as {{ dbt.type_string() }}) as guest_order_key,
        records.customer_record_id as source_id,
        records.customer_type,
        coalesce(records.email, {{ normalise_email('latest_record_orders.email_raw') }}) as email,
        coalesce(
            records.vat_number, {{ normalise_vat_number('latest_record_orders.vat_number_text') }}
        ) as vat_number,
        coalesce(
            records.vat_number_raw, {{ vat_number_as_keyed('latest_record_orders.vat_number_text') }}
        ) as vat_number_raw,
        records.account_ref,
        records.display_person_name,
        records.display_company_name
    from records
    left join latest_record_orders
        on
            records.storefront = latest_record_orders.storefront
            and records.customer_record_id = latest_record_orders.customer_record_id
),

guest_members as (
    select
        {{ dbt.concat(["'order:'", "order_key"]) }} as member_id,
        'guest_order' as member_kind,
        storefront,
        order_key as guest_order_key,
        order_id as source_id,
        'dtc' as customer_type,
        {{ normalise_email('email_raw') }} as email,
        {{ normalise_vat_number('vat_number_text') }} as vat_number,
        {{ vat_number_as_keyed('vat_number_text') }} as vat_number_raw,
        cast(null as {{ dbt.type_string() }}) as account_ref,
        -- A guest's names are read for the customers in scope only (int_ecom_customers).
        cast(null as {{ dbt.type_string() }}) as display_person_name,
        cast(null as {{ dbt.type_string() }}) as display_company_name
    from guest_orders
),

members as (
    select * from record_members
    union all
    select * from guest_members
),

member_keys as (
    {{ unpivot_match_keys('members', 'member_id', ['customer_type']) }}
),

identity_keys as (
    {{ resolve_match_key('member_keys', 'precedence', 'member_id', 'customer_type') }}
),

-- Unidentified members are keyed `unidentified:<storefront>:<record or order id>`. In
-- the rare case where a guest order's id equals an unidentified record's id in the
-- same storefront, the order's key says `order-<id>` so two customers never merge.
unidentified_records as (
    select
        members.storefront,
        members.source_id
    from members
    left join identity_keys
        on members.member_id = identity_keys.member_id
    where members.member_kind = 'record' and identity_keys.member_id is null
),

final as (
    select
        members.*,
        coalesce(
            {{ dbt.concat(["identity_keys.match_key", "':'", "identity_keys.match_value"]) }},
            case
                when unidentified_records.source_id is not null
                    then {{ dbt.concat(["'unidentified:'", "members.storefront", "':order-'", "members.source_id"]) }}
                else {{ dbt.concat(["'unidentified:'", "members.storefront", "':'", "members.source_id"]) }}
            end
        ) as customer_key,
        identity_keys.match_key is null as is_unidentified
    from members
    left join identity_keys
        on members.member_id = identity_keys.member_id
    left join unidentified_records
        on
            members.member_kind = 'guest_order'
            and members.storefront = unidentified_records.storefront
            and members.source_id = unidentified_records.source_id
)

select * from final
