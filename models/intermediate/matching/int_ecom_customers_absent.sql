{#
    One row per (customer_key, entity_id) the card evaluates with no active record in
    the Sage master visible in that entity: the one place "absent" is decided. The
    duplicate check, the name comparison and the classification all read this.
#}
with

matched as (
    select * from {{ ref('int_ecom_customers_matched_to_sage') }}
),

final as (
    select
        customer_key,
        entity_id,
        customer_type,
        orders_in_window,
        order_value_in_window,
        first_order_at_in_window,
        inactive_matched_on,
        inactive_sage_customer_id
    from matched
    where not is_present
)

select * from final
