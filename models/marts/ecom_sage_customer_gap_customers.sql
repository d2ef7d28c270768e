{#
    The drill-down: one row per absent ecommerce customer per Sage entity, within the
    gap_scope, with its cohort, the orders and value attached in the window, the
    suspected duplicate or inactive record, the sync status and what to do about it.
#}
with

counted as (
    select * from {{ ref('int_ecom_absent_customers_classified') }}
    where {{ is_in_gap_scope('customer_type') }}
),

final as (
    select
        entity_id,
        customer_key,
        customer_type,
        cohort,
        customer_name,
        email,
        vat_number,
        account_ref,
        storefronts,
        cast(orders_in_window as bigint) as orders_in_window,
        cast(order_value_in_window as decimal(38, 2)) as order_value_in_window,
        first_order_at_in_window,
        first_order_at,
        is_suspected_duplicate,
        suspected_sage_customer_id,
        suspected_match_reason,
        cast(suspected_name_similarity as {{ type_double() }}) as suspected_name_similarity,
        inactive_sage_customer_id,
        sync_status,
        cast(orders_posted_to_holding as bigint) as orders_posted_to_holding,
        name_matches_sage,
        is_present_in_other_entity,
        recommended_action_code,
        recommended_action,
        {{ gap_as_of() }} as as_of
    from counted
)

select * from final
