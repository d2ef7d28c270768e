{#
    One row per member of an ecommerce customer identity: every live storefront
    customer record, and every guest order (no record, a deleted record, a record id
    that matches nothing, BigCommerce customer 0, Adobe guest). Each member carries
    - its key values: the record's own, normalised; where the record has none, its most
      recent valid order's (even if that is null); a guest order's own;
    - its identity key (customer_key): the first key of its type's precedence list that
      has a value, else `unidentified:<storefront>:<record or order id>`. Members sharing
      an identity key are one customer;
    - its order history up to gap_as_of (first and latest valid order, how many): a
      record's valid orders, a guest's own order;
    - what people read and the fuzzy check compares: names, company, phone, postcode
      (a guest's are its order's billing details).
    docs/definition/identity.md states the rules.
#}
{%- set storefronts = enabled_storefronts() %}

with

records_unioned as (
    {%- for storefront in storefronts %}
    select
        storefront,
        customer_record_id,
        customer_type,
        email,
        vat_number,
        account_ref,
        first_name,
        last_name,
        company,
        trading_company,
        phone,
        postcode
    from {{ ref('int_' ~ storefront ~ '__customers') }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

records as (
    select
        storefront,
        customer_record_id,
        customer_type,
        {{ normalise_email('email') }} as email,
        {{ normalise_vat_number('vat_number') }} as vat_number,
        {{ vat_number_as_keyed('vat_number') }} as vat_number_raw,
        {{ normalise_account_ref('account_ref') }} as account_ref,
        first_name,
        last_name,
        company,
        trading_company,
        phone,
        postcode
    from records_unioned
),

precedence as (
    select * from {{ ref('stg_field_map__match_key_precedence') }}
),

-- Each step below reads the stored orders on its own, with only the columns it needs:
-- narrow scans of a stored table cost less than one CTE of ten million orders read
-- twice (DuckDB materialises such a CTE with every column it selects).

-- Every record id that valid orders up to gap_as_of point at, live record or not,
-- with its history: first and latest valid order and how many.
record_history as (
    select
        storefront,
        customer_record_id,
        min(created_at) as first_order_at,
        max(created_at) as last_order_at,
        count(*) as orders_to_date
    from {{ ref('int_ecom_orders') }}
    where
        is_valid
        and customer_record_id is not null
        and {{ exists_at_gap_as_of('created_at') }}
    group by 1, 2
),

-- Record ids with valid orders that are not a live record (deleted, or never seen):
-- their orders are guest orders.
unlinked_record_ids as (
    select
        record_history.storefront,
        record_history.customer_record_id
    from record_history
    left join records
        on
            record_history.storefront = records.storefront
            and record_history.customer_record_id = records.customer_record_id
    where records.customer_record_id is null
),

guest_orders as (
    select
        orders.order_key,
        orders.storefront,
        orders.order_id,
        orders.created_at,
        orders.email_raw,
        orders.vat_number_text,
        orders.first_name,
        orders.last_name,
        orders.display_company_name
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

-- A record needs its latest order only for a value it lacks: an email, or a VAT number
-- where orders can carry one (Adobe Commerce orders do; Shopify and BigCommerce orders
-- never do). Everyone else's fallback would go unused.
storefronts_with_order_vat as (
    select distinct storefront
    from {{ ref('int_ecom_orders') }}
    where vat_number_text is not null and {{ exists_at_gap_as_of('created_at') }}
),

-- The records that need a fallback: few (most records have an email), so they are
-- found first and only their orders are read.
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

-- The latest valid order of each record (ties: highest order id) supplies the values
-- the record lacks; they are normalised only where the record has none (coalesce
-- evaluates them for those rows alone).
latest_record_orders as (
    {{ latest_order_values(
        'fallback_orders',
        group_by=['storefront', 'customer_record_id'],
        value_columns=['email_raw', 'vat_number_text']
    ) }}
),

record_members as (
    select
        {{ dbt.concat(["'record:'", "records.storefront", "':'", "records.customer_record_id"]) }} as member_id,
        'record' as member_kind,
        records.storefront,
        records.customer_record_id as source_id,
        cast(null as {{ dbt.type_string() }}) as guest_order_key,
        records.customer_type,
        coalesce(records.email, {{ normalise_email('latest_record_orders.email_raw') }}) as email,
        coalesce(
            records.vat_number, {{ normalise_vat_number('latest_record_orders.vat_number_text') }}
        ) as vat_number,
        coalesce(
            records.vat_number_raw, {{ vat_number_as_keyed('latest_record_orders.vat_number_text') }}
        ) as vat_number_raw,
        records.account_ref,
        records.first_name,
        records.last_name,
        records.company,
        records.trading_company,
        records.phone,
        records.postcode,
        record_history.first_order_at,
        record_history.last_order_at,
        coalesce(record_history.orders_to_date, 0) as orders_to_date
    from records
    left join latest_record_orders
        on
            records.storefront = latest_record_orders.storefront
            and records.customer_record_id = latest_record_orders.customer_record_id
    left join record_history
        on
            records.storefront = record_history.storefront
            and records.customer_record_id = record_history.customer_record_id
),

-- A guest is DTC; its names and company are its order's billing details; its phone and
-- postcode are read from its order by the fuzzy check, as every order's are.
guest_members as (
    select
        {{ dbt.concat(["'order:'", "order_key"]) }} as member_id,
        'guest_order' as member_kind,
        storefront,
        order_id as source_id,
        order_key as guest_order_key,
        'dtc' as customer_type,
        {{ normalise_email('email_raw') }} as email,
        {{ normalise_vat_number('vat_number_text') }} as vat_number,
        {{ vat_number_as_keyed('vat_number_text') }} as vat_number_raw,
        cast(null as {{ dbt.type_string() }}) as account_ref,
        first_name,
        last_name,
        display_company_name as company,
        cast(null as {{ dbt.type_string() }}) as trading_company,
        cast(null as {{ dbt.type_string() }}) as phone,
        cast(null as {{ dbt.type_string() }}) as postcode,
        created_at as first_order_at,
        created_at as last_order_at,
        1 as orders_to_date
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

-- The member's key values on its type's precedence list, with their priority.
prioritised_member_keys as (
    {{ match_key_priority('member_keys', 'precedence', 'customer_type') }}
),

-- The identity key: the first key of the member's type's precedence list that has a
-- value (a member holds one value per key).
identity_keys as (
    {{ first_by_precedence('prioritised_member_keys', ['member_id'], ['match_value']) }}
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
        members.member_id,
        members.member_kind,
        members.storefront,
        members.source_id,
        members.guest_order_key,
        coalesce(
            {{ dbt.concat(["identity_keys.match_key", "':'", "identity_keys.match_value"]) }},
            case
                when unidentified_records.source_id is not null
                    then {{ dbt.concat(["'unidentified:'", "members.storefront", "':order-'", "members.source_id"]) }}
                else {{ dbt.concat(["'unidentified:'", "members.storefront", "':'", "members.source_id"]) }}
            end
        ) as customer_key,
        identity_keys.match_key is null as is_unidentified,
        members.customer_type,
        members.email,
        members.vat_number,
        members.vat_number_raw,
        members.account_ref,
        nullif(trim({{ full_name('members.first_name', 'members.last_name') }}), '') as display_person_name,
        members.company as display_company_name,
        members.first_name,
        members.last_name,
        members.trading_company as trading_company_name,
        members.phone as phone_raw,
        members.postcode as postcode_raw,
        members.first_order_at,
        members.last_order_at,
        members.orders_to_date
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
