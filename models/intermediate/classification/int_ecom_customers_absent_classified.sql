{#
    One row per absent (customer_key, entity_id), before the gap_scope filter: the
    cohort and recommended action (both from the gap_cohorts macro), the suspected
    duplicate, the sync status, the holding look-through and the facts the
    reconciliation reasons read.
#}
with

absent as (
    select * from {{ ref('int_ecom_customers_absent') }}
),

matched as (
    select * from {{ ref('int_ecom_customers_matched_to_sage') }}
),

customers as (
    select * from {{ ref('int_ecom_customers') }}
),

duplicates as (
    select * from {{ ref('int_ecom_customers_checked_for_duplicates') }}
),

posted_to_holding as (
    select * from {{ ref('int_ecom_orders_posted_to_holding') }}
),

orders as (
    select * from {{ ref('int_ecom_window_orders') }}
),

shared_names as (
    select * from {{ ref('int_ecom_customers_sharing_a_sage_name') }}
),

sync_state as (
    select * from {{ ref('int_sage_sync_state') }}
),

holding_orders as (
    select
        orders.customer_key,
        orders.entity_id,
        sum(case when posted_to_holding.posted_to_holding then 1 else 0 end) as orders_posted_to_holding
    from orders
    inner join posted_to_holding
        on orders.order_key = posted_to_holding.order_key
    group by 1, 2
),

name_matches as (
    select distinct
        customer_key,
        entity_id
    from shared_names
),

present_elsewhere as (
    select distinct
        absent.customer_key,
        absent.entity_id
    from absent
    inner join matched as other_entity
        on
            absent.customer_key = other_entity.customer_key
            and absent.entity_id is distinct from other_entity.entity_id
            and other_entity.is_present
),

assessed as (
    select
        absent.entity_id,
        absent.customer_key,
        customers.customer_type,
        customers.customer_name,
        customers.email,
        customers.vat_number,
        customers.has_valid_vat_number,
        customers.account_ref,
        customers.storefronts,
        customers.is_unidentified,
        absent.orders_in_window,
        absent.order_value_in_window,
        absent.first_order_at_in_window,
        customers.first_order_at,
        duplicates.suspected_sage_customer_id,
        duplicates.suspected_match_reason,
        duplicates.suspected_name_similarity,
        absent.inactive_sage_customer_id,
        absent.inactive_matched_on,
        sync_state.sage_last_synced_at,
        duplicates.suspected_sage_customer_id is not null as is_suspected_duplicate,
        case
            when absent.first_order_at_in_window > sync_state.sage_last_synced_at then 'awaiting_sync'
            else 'missing'
        end as sync_status,
        coalesce(holding_orders.orders_posted_to_holding, 0) as orders_posted_to_holding,
        name_matches.customer_key is not null as name_matches_sage,
        present_elsewhere.customer_key is not null as is_present_in_other_entity
    from absent
    inner join customers
        on absent.customer_key = customers.customer_key
    cross join sync_state
    left join duplicates
        on
            absent.customer_key = duplicates.customer_key
            and absent.entity_id is not distinct from duplicates.entity_id
    left join holding_orders
        on
            absent.customer_key = holding_orders.customer_key
            and absent.entity_id is not distinct from holding_orders.entity_id
    left join name_matches
        on
            absent.customer_key = name_matches.customer_key
            and absent.entity_id is not distinct from name_matches.entity_id
    left join present_elsewhere
        on
            absent.customer_key = present_elsewhere.customer_key
            and absent.entity_id is not distinct from present_elsewhere.entity_id
),

classified as (
    select
        *,
        {{ gap_cohort_rule() }} as cohort
    from assessed
),

final as (
    select
        *,
        {{ gap_cohort_action_code() }} as recommended_action_code,
        {{ gap_cohort_action() }} as recommended_action
    from classified
)

select * from final
