{#
    One row per (customer_key, entity_id) the card evaluates, matched against the
    Sage master visible in that entity. Keys are tried in the customer type's
    precedence order: the customer is present when a value of the first key that
    finds anything equals the same key of an active visible row (lowest customerid
    on ties). An absent customer whose keys reach only inactive rows carries that
    row as inactive_sage_customer_id.
#}
with

customer_entities as (
    select * from {{ ref('int_ecom_customer_entities') }}
),

customers as (
    select * from {{ ref('int_ecom_customers') }}
),

customer_match_values as (
    select * from {{ ref('int_ecom_customer_match_values') }}
),

sage_match_values as (
    select * from {{ ref('int_sage_customer_match_values') }}
),

visible_sage_customers as (
    select * from {{ ref('int_sage_customers_visible_by_entity') }}
),

candidates as (
    select
        customer_entities.customer_key,
        customer_entities.entity_id,
        customer_match_values.match_key,
        customer_match_values.priority,
        visible_sage_customers.sage_customer_id,
        visible_sage_customers.status
    from customer_entities
    inner join customer_match_values
        on customer_entities.customer_key = customer_match_values.customer_key
    inner join sage_match_values
        on
            customer_match_values.match_key = sage_match_values.match_key
            and customer_match_values.match_value = sage_match_values.match_value
    inner join visible_sage_customers
        on
            sage_match_values.sage_record_number = visible_sage_customers.sage_record_number
            and customer_entities.entity_id is not distinct from visible_sage_customers.evaluated_entity_id
    where visible_sage_customers.status in ('active', 'inactive')
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
    {{ first_by_precedence('active_candidates', ['customer_key', 'entity_id'], ['sage_customer_id']) }}
),

best_inactive as (
    {{ first_by_precedence('inactive_candidates', ['customer_key', 'entity_id'], ['sage_customer_id']) }}
),

final as (
    select
        customer_entities.customer_key,
        customer_entities.entity_id,
        customers.customer_type,
        customer_entities.orders_in_window,
        customer_entities.order_value_in_window,
        customer_entities.first_order_at_in_window,
        best_active.match_key as matched_on,
        best_active.sage_customer_id as matched_sage_customer_id,
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
