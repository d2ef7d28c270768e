-- The gap history holds this run's as_of with exactly the headline's numbers (the two
-- marts count the same absent customers, each in its own model): one row per entity
-- that differs or is missing on either side.
with

gap as (
    select * from {{ ref('ecom_sage_customer_gap') }}
),

history as (
    select * from {{ ref('ecom_sage_customer_gap_history') }}
    where as_of = {{ gap_as_of() }}
)

select
    gap.absent_customers,
    history.absent_customers as history_absent_customers,
    'the gap history of this as_of does not record the headline of this run' as problem,
    coalesce(gap.entity_id, history.entity_id) as entity_id
from gap
-- A single-entity company's entity_id is null on both sides. Entity ids are cleaned
-- text (empty is null), so '' stands for it: an equality join, which every engine can
-- run as a full join (PostgreSQL cannot with `is not distinct from`).
full outer join history
    on coalesce(gap.entity_id, '') = coalesce(history.entity_id, '')
where
    gap.as_of is null
    or history.as_of is null
    or gap.absent_customers <> history.absent_customers
    or gap.absent_b2b_customers <> history.absent_b2b_customers
    or gap.absent_dtc_customers <> history.absent_dtc_customers
    or gap.orders_attached <> history.orders_attached
    or gap.order_value_attached <> history.order_value_attached
    or gap.suspected_duplicates <> history.suspected_duplicates
    or gap.awaiting_sync <> history.awaiting_sync
    or gap.is_alert <> history.is_alert
    or gap.is_b2b_alert <> history.is_b2b_alert
    or gap.sentiment <> history.sentiment
