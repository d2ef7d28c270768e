{#
    One row per (customer_key, entity_id) the card evaluates: a customer with at least
    one valid order in the window posting to that Sage entity (entity_id null for a
    single-entity company), matched against the Sage master visible in that entity.
    Keys are tried in the customer type's precedence order: the customer is present
    when a value of the first key that finds anything equals the same key of an active
    visible row (lowest customerid on ties). An absent customer whose keys reach only
    inactive rows carries that row as inactive_sage_customer_id. An unidentified
    customer has no key on its precedence list: it counts and never matches.
    The customer's attributes (type, name, VAT number, history) ride along for the
    models and marts after this one.

    Rejoins: int_ecom_orders_in_window and int_ecom_customer_key_values are also read by
    int_ecom_ordering_customers (one row per customer); the window's orders give the
    per-entity rows and totals, the key values the values matching tries.
#}
with

-- The unit the card evaluates, with the window's orders attached.
customer_entities as (
    select
        customer_key,
        entity_id,
        count(*) as orders_in_window,
        sum(order_total) as order_value_in_window,
        min(created_at) as first_order_at_in_window,
        max(created_at) as last_order_at_in_window,
        sum(case when posted_to_holding then 1 else 0 end) as orders_posted_to_holding
    from {{ ref('int_ecom_orders_in_window') }}
    group by 1, 2
),

customers as (
    select * from {{ ref('int_ecom_ordering_customers') }}
),

precedence as (
    select * from {{ ref('stg_field_map__match_key_precedence') }}
),

sage_match_values as (
    select * from {{ ref('int_sage_customer_match_values') }}
),

visible_sage_customers as (
    select * from {{ ref('int_sage_customers_by_entity') }}
    where status in ('active', 'inactive')
),

-- The customer's key values on its type's precedence list, with their priority.
key_values as (
    select
        key_values.customer_key,
        key_values.match_key,
        key_values.match_value,
        customers.customer_type
    from {{ ref('int_ecom_customer_key_values') }} as key_values
    inner join customers
        on
            key_values.customer_key = customers.customer_key
            and not customers.is_unidentified
),

match_values as (
    {{ match_key_priority('key_values', 'precedence', 'customer_type') }}
),

candidates as (
    select
        customer_entities.customer_key,
        customer_entities.entity_id,
        match_values.match_key,
        match_values.priority,
        visible_sage_customers.sage_customer_id,
        visible_sage_customers.sage_record_number,
        visible_sage_customers.status
    from customer_entities
    inner join match_values
        on customer_entities.customer_key = match_values.customer_key
    inner join sage_match_values
        on
            match_values.match_key = sage_match_values.match_key
            and match_values.match_value = sage_match_values.match_value
    inner join visible_sage_customers
        on
            sage_match_values.sage_record_number = visible_sage_customers.sage_record_number
            and customer_entities.entity_id is not distinct from visible_sage_customers.evaluated_entity_id
),

active_candidates as (
    select * from candidates
    where status = 'active'
),

inactive_candidates as (
    select * from candidates
    where status = 'inactive'
),

-- The first key of the type's precedence that reaches an active row decides; the
-- inactive rows are ranked the same way, for the inactive_in_sage cohort.
best_active as (
    {{ first_by_precedence(
        'active_candidates', ['customer_key', 'entity_id'], ['sage_customer_id', 'sage_record_number']
    ) }}
),

best_inactive as (
    {{ first_by_precedence(
        'inactive_candidates', ['customer_key', 'entity_id'], ['sage_customer_id', 'sage_record_number']
    ) }}
),

final as (
    select
        customer_entities.customer_key,
        customer_entities.entity_id,
        customers.customer_type,
        customers.customer_name,
        customers.email,
        customers.vat_number,
        customers.has_valid_vat_number,
        customers.account_ref,
        customers.storefronts,
        customers.is_unidentified,
        customers.first_order_at,
        customer_entities.orders_in_window,
        customer_entities.order_value_in_window,
        customer_entities.first_order_at_in_window,
        customer_entities.last_order_at_in_window,
        customer_entities.orders_posted_to_holding,
        best_active.match_key as matched_on,
        best_active.sage_customer_id as matched_sage_customer_id,
        best_active.sage_record_number as matched_sage_record_number,
        best_active.customer_key is not null as is_present,
        case when best_active.customer_key is null then best_inactive.match_key end as inactive_matched_on,
        case when best_active.customer_key is null then best_inactive.sage_customer_id end
            as inactive_sage_customer_id
    from customer_entities
    inner join customers
        on customer_entities.customer_key = customers.customer_key
    left join best_active
        on
            customer_entities.customer_key = best_active.customer_key
            and customer_entities.entity_id is not distinct from best_active.entity_id
    left join best_inactive
        on
            customer_entities.customer_key = best_inactive.customer_key
            and customer_entities.entity_id is not distinct from best_inactive.entity_id
)

select * from final
