{#
    One row per (block_side, entity_id, detail_type, blocking_value) that the fuzzy
    duplicate check did not use because more Sage rows (block_side 'sage') or more
    absent customers (block_side 'customer') of the entity hold it than the cap (var
    fuzzy_max_block_size). The cap is a safety valve: this table is normally empty, and
    a warn test lists it when it is not, so no duplicate is missed silently.
#}
with

absent as (
    select * from {{ ref('int_ecom_customers_absent') }}
),

contact_details as (
    select * from {{ ref('int_ecom_customer_contact_details') }}
),

sage_blocking_keys as (
    select * from {{ ref('int_sage_blocking_keys') }}
),

final as (
    {{ fuzzy_blocks_over_cap('absent', 'contact_details', 'sage_blocking_keys') }}
)

select * from final
