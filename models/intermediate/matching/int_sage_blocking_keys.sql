{#
    One row per (evaluated entity, active visible Sage row, kind, value) usable as a
    blocking key of the fuzzy duplicate check (phone, cellphone as phone, postcode),
    with block_size: how many Sage rows of the entity hold the value. Built once and
    read by the check (int_ecom_customers_checked_for_duplicates) and by the report of
    capped blocks (int_fuzzy_blocking_keys_over_cap).
#}
with

visible_sage_customers as (
    select * from {{ ref('int_sage_customers_visible_by_entity') }}
),

final as (
    {{ sage_blocking_keys('visible_sage_customers') }}
)

select * from final
