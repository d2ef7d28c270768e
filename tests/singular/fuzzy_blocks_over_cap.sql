{{ config(severity='warn', store_failures=true) }}
-- One row per blocking key (phone or postcode) the fuzzy duplicate check did not use
-- because more Sage rows (block_side sage) or absent customers (block_side customer)
-- of the entity hold it than fuzzy_max_block_size (default 1000): a safety valve real
-- data does not reach. Only keys some absent customer holds can hide a duplicate, so
-- those are the ones listed. Warns with every capped key, so no duplicate is missed
-- silently; the rows are kept (store_failures) for the scheduled run to print.
{%- set max_block_size = fuzzy_block_cap() %}
with

absent as (
    select * from {{ ref('int_ecom_customers_matched_to_sage') }}
    where not is_present
),

details as (
    select * from {{ ref('int_ecom_absent_customer_details') }}
),

visible_sage_customers as (
    select * from {{ ref('int_sage_customers_by_entity') }}
),

customer_keys as (
    {{ customer_blocking_keys('absent', 'details') }}
),

sage_keys as (
    {{ sage_blocking_keys('visible_sage_customers', 'customer_keys') }}
)

select distinct
    'sage' as block_side,
    evaluated_entity_id as entity_id,
    detail_type,
    blocking_value,
    block_size,
    {{ max_block_size }} as max_block_size,
    'a ' || detail_type || ' held by more Sage rows of the entity than fuzzy_max_block_size'
    || ' was not used as a blocking key' as problem
from sage_keys
where block_size > {{ max_block_size }}
union all
select distinct
    'customer' as block_side,
    entity_id,
    detail_type,
    blocking_value,
    block_size,
    {{ max_block_size }} as max_block_size,
    'a ' || detail_type || ' held by more absent customers of the entity than fuzzy_max_block_size'
    || ' was not used as a blocking key' as problem
from customer_keys
where block_size > {{ max_block_size }}
