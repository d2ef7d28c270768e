{#
    One row per (block_side, entity_id, detail_type, blocking_value) that the fuzzy
    duplicate check did not use because more Sage rows (block_side 'sage') or more
    absent customers (block_side 'customer') of the entity hold it than the cap (var
    fuzzy_max_block_size). The cap is a safety valve: this table is normally empty, and
    a warn test lists it when it is not, so no duplicate is missed silently.
#}
with

matched as (
    select * from {{ ref('int_ecom_customers_matched_to_sage') }}
),

contact_details as (
    select * from {{ ref('int_ecom_customer_contact_details') }}
),

visible_sage_customers as (
    select * from {{ ref('int_sage_customers_visible_by_entity') }}
),

absent as (
    select
        customer_key,
        entity_id,
        customer_type
    from matched
    where not is_present
),

final as (
    {{ fuzzy_blocks_over_cap('absent', 'contact_details', 'visible_sage_customers') }}
)

select * from final
