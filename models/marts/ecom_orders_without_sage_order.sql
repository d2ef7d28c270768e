{#
    The order-level sibling card: one row per valid order in the window that Sage holds
    no sales order for: no live sales document existing at gap_as_of, of the order's
    entity or of no entity, carries its number as PO number, whatever its customer
    (holding customers included). Orders created after the last Sage sync may simply not
    be synced yet (awaiting_sync); the others are missing. All customers, whatever
    gap_scope (docs/definition/sibling-cards.md).

    Rejoin: int_ecom_orders_in_window is also the matching's input; its rows are the
    orders listed here, the matching says whether each order's customer is absent.
#}
with

orders as (
    select * from {{ ref('int_ecom_orders_in_window') }}
    where not has_sage_order
),

customer_entities as (
    select * from {{ ref('int_ecom_customers_matched_to_sage') }}
),

sync_state as (
    select * from {{ ref('int_sage_sync_state') }}
),

final as (
    select
        orders.entity_id,
        orders.storefront,
        orders.order_id,
        orders.order_number,
        orders.created_at,
        orders.customer_key,
        not customer_entities.is_present as is_customer_absent,
        orders.currency,
        orders.order_total,
        case
            when orders.created_at > sync_state.sage_last_synced_at then 'awaiting_sync'
            else 'missing'
        end as sync_status,
        {{ gap_as_of() }} as as_of
    from orders
    inner join customer_entities
        on
            orders.customer_key = customer_entities.customer_key
            and orders.entity_id is not distinct from customer_entities.entity_id
    cross join sync_state
)

select * from final
