{#
    One row per Sage entity the card evaluates: every entity of the storefronts field
    map and every entity an in-window order posts to (entity_id null = a single-entity
    company, where the whole master is visible). Every mart has a row for each, zero
    rows included.

    Rejoin: stg_field_map__storefronts is also int_ecom_orders_in_window's input; read
    here again for the entities the field map names, orders or not.
#}
with

storefront_map as (
    select * from {{ ref('stg_field_map__storefronts') }}
),

orders_in_window as (
    select * from {{ ref('int_ecom_orders_in_window') }}
),

final as (
    select entity_id from storefront_map
    union
    select entity_id from orders_in_window
)

select * from final
