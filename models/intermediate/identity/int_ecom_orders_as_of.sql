{#
    The orders that exist at gap_as_of (created_at <= gap_as_of), with the Sage entity
    each posts to (its storefront's exact store_key row first, then the `*` row) and
    whether it is a valid order in the window. A view: it is cheap, and it keeps the
    evaluation time and the field map out of the incremental int_ecom_orders.
#}
{{ config(materialized='view') }}

with

orders as (
    select * from {{ ref('int_ecom_orders') }}
),

storefront_map as (
    select * from {{ ref('int_storefront_entities') }}
),

exact_store as (
    select * from storefront_map
    where store_key <> '*'
),

any_store as (
    select * from storefront_map
    where store_key = '*'
),

final as (
    select
        -- The stored columns, except the source fingerprint (bookkeeping of the stored table).
        orders.order_key,
        orders.storefront,
        orders.order_id,
        orders.order_number,
        orders.store_key,
        orders.customer_record_id,
        orders.created_at,
        orders.currency,
        orders.order_total,
        orders.is_valid,
        orders.email_raw,
        orders.vat_number_text,
        orders.first_name,
        orders.last_name,
        orders.display_company_name,
        orders.postcode_raw,
        orders.phone_raw,
        case
            when exact_store.storefront is not null then exact_store.entity_id
            else any_store.entity_id
        end as entity_id,
        coalesce(exact_store.storefront, any_store.storefront) is not null as is_store_mapped,
        orders.is_valid and {{ is_in_gap_window('orders.created_at') }} as is_in_window
    from orders
    left join exact_store
        on
            orders.storefront = exact_store.storefront
            and orders.store_key = exact_store.store_key
    left join any_store
        on orders.storefront = any_store.storefront
    -- An order created after gap_as_of does not exist for this evaluation.
    where {{ exists_at_gap_as_of('orders.created_at') }}
)

select * from final
