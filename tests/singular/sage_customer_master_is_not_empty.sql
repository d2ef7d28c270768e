{{ config(severity=sage_sync_check_severity()) }}
-- A Sage customer table with no live row is a broken sync, not a result: without
-- it every ecommerce customer would read as absent. Fails with one row.
with

sage_customers as (
    select * from {{ ref('int_sage_customers') }}
),

counted as (
    select count(*) as live_sage_customers
    from sage_customers
)

select
    live_sage_customers,
    'the Sage customer table has no live row: check the Sage sync before reading the card' as problem
from counted
where live_sage_customers = 0
