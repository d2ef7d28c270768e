{{ config(severity=sage_sync_check_severity(), store_failures=true) }}
-- A Sage customer table with no live row is a broken sync, not a result: without
-- it every ecommerce customer would read as absent. Fails with one row. The table is
-- judged as synced, not as it stood at gap_as_of: at an instant before the first
-- customer was created, an empty master is the right reading, not a broken sync.
with

sage_customers as (
    select * from {{ ref('stg_sage_intacct__customers') }}
),

counted as (
    select count(*) as live_sage_customers
    from sage_customers
    where not is_deleted
)

select
    live_sage_customers,
    'the Sage customer table has no live row: check the Sage sync before reading the card' as problem
from counted
where live_sage_customers = 0
