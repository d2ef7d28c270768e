{#
    The VAT-mismatch sibling card: one row per present B2B (customer, entity) whose VAT
    number disagrees with the Sage record it matched (docs/definition/sibling-cards.md):
    - vat_missing_in_sage: the customer holds at least one valid VAT number (its
      key-value union: records, addresses, orders) and the matched Sage row has none;
    - vat_differs: both have one and the Sage VAT number is not among the customer's.
    B2B customers only, whatever gap_scope. A customer matched on its VAT number never
    mismatches: the Sage VAT it matched is one of its own. The customer's identity,
    key values and match are the card's own (the same intermediate models).

    Rejoins: int_ecom_customer_key_values and int_sage_customers_by_entity are also read
    by the matching, which keeps the matched record but not the VAT numbers on either
    side.
#}
with

present_b2b_customers as (
    select * from {{ ref('int_ecom_customers_matched_to_sage') }}
    where is_present and customer_type = 'b2b'
),

vat_numbers as (
    select
        customer_key,
        match_value as vat_number
    from {{ ref('int_ecom_customer_key_values') }}
    where match_key = 'vat_number'
),

-- The VAT numbers each customer holds, as one sorted list for people to read.
store_vat_numbers as (
    select
        customer_key,
        {{ string_agg_distinct_sorted('vat_number', ', ') }} as store_vat_numbers
    from vat_numbers
    group by 1
),

sage_customers as (
    select * from {{ ref('int_sage_customers_by_entity') }}
),

compared as (
    select
        present_b2b_customers.entity_id,
        present_b2b_customers.customer_key,
        present_b2b_customers.customer_name,
        present_b2b_customers.matched_on,
        present_b2b_customers.matched_sage_customer_id as sage_customer_id,
        store_vat_numbers.store_vat_numbers,
        sage_customers.vat_number as sage_vat_number,
        present_b2b_customers.orders_in_window,
        present_b2b_customers.order_value_in_window,
        same_vat.vat_number is not null as sage_vat_is_the_customers
    from present_b2b_customers
    inner join sage_customers
        on
            present_b2b_customers.matched_sage_record_number = sage_customers.sage_record_number
            and present_b2b_customers.entity_id is not distinct from sage_customers.evaluated_entity_id
    -- Only customers holding a VAT number can mismatch.
    inner join store_vat_numbers
        on present_b2b_customers.customer_key = store_vat_numbers.customer_key
    left join vat_numbers as same_vat
        on
            present_b2b_customers.customer_key = same_vat.customer_key
            and sage_customers.vat_number = same_vat.vat_number
),

final as (
    select
        entity_id,
        customer_key,
        customer_name,
        matched_on,
        sage_customer_id,
        store_vat_numbers,
        sage_vat_number,
        case
            when sage_vat_number is null then 'vat_missing_in_sage'
            else 'vat_differs'
        end as mismatch,
        cast(orders_in_window as bigint) as orders_in_window,
        cast(order_value_in_window as decimal(38, 2)) as order_value_in_window,
        {{ gap_as_of() }} as as_of
    from compared
    where sage_vat_number is null or not sage_vat_is_the_customers
)

select * from final
