{#
    The card: one row per Sage entity with the headline count of absent ecommerce
    customers (within gap_scope), its B2B and DTC split, the orders attached, the
    alert thresholds and whether each alert fires; and the order-level sibling's count
    and value: the window's orders Sage holds no sales order for (all customers).

    Rejoins: int_sage_sync_state is also read by int_ecom_absent_customers_classified
    (an entity with no absent customer still shows its last sync), and
    int_ecom_orders_in_window by int_evaluated_entities (the window's orders without a
    Sage order, per entity).
#}
with

absent_customers as (
    select * from {{ ref('int_ecom_absent_customers_classified') }}
    where {{ is_in_gap_scope('customer_type') }}
),

entities as (
    select * from {{ ref('int_evaluated_entities') }}
),

sync_state as (
    select * from {{ ref('int_sage_sync_state') }}
),

orders_without_sage_order as (
    select
        entity_id,
        count(*) as orders_without_sage_order,
        sum(order_total) as orders_without_sage_order_value
    from {{ ref('int_ecom_orders_in_window') }}
    where not has_sage_order
    group by 1
),

totals as (
    select
        entity_id,
        count(*) as absent_customers,
        sum(case when customer_type = 'b2b' then 1 else 0 end) as absent_b2b_customers,
        sum(case when customer_type = 'dtc' then 1 else 0 end) as absent_dtc_customers,
        sum(orders_in_window) as orders_attached,
        sum(order_value_in_window) as order_value_attached,
        sum(case when is_suspected_duplicate then 1 else 0 end) as suspected_duplicates,
        sum(case when sync_status = 'awaiting_sync' then 1 else 0 end) as awaiting_sync
    from absent_customers
    group by 1
),

counted as (
    select
        entities.entity_id,
        cast({{ var('gap_window_days', 7) | int }} as integer) as window_days,
        '{{ gap_scope() }}' as gap_scope,
        cast(coalesce(totals.absent_customers, 0) as bigint) as absent_customers,
        cast(coalesce(totals.absent_b2b_customers, 0) as bigint) as absent_b2b_customers,
        cast(coalesce(totals.absent_dtc_customers, 0) as bigint) as absent_dtc_customers,
        cast(coalesce(totals.orders_attached, 0) as bigint) as orders_attached,
        cast(coalesce(totals.order_value_attached, 0) as decimal(38, 2)) as order_value_attached,
        cast(coalesce(totals.suspected_duplicates, 0) as bigint) as suspected_duplicates,
        cast(coalesce(totals.awaiting_sync, 0) as bigint) as awaiting_sync,
        cast(coalesce(orders_without_sage_order.orders_without_sage_order, 0) as bigint)
            as orders_without_sage_order,
        cast(coalesce(orders_without_sage_order.orders_without_sage_order_value, 0) as decimal(38, 2))
            as orders_without_sage_order_value
    from entities
    left join totals
        on entities.entity_id is not distinct from totals.entity_id
    left join orders_without_sage_order
        on entities.entity_id is not distinct from orders_without_sage_order.entity_id
),

final as (
    select
        counted.*,
        {{ gap_alert_columns('counted.absent_customers', 'counted.absent_b2b_customers') }},
        sync_state.sage_last_synced_at,
        {{ gap_as_of() }} as as_of
    from counted
    cross join sync_state
)

select * from final
