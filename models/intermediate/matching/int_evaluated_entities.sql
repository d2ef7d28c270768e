{#
    One row per Sage entity the card evaluates: every entity of the storefronts field
    map and every entity an in-window order posts to (entity_id null = a
    single-entity company, where the whole master is visible).
#}
with

storefront_map as (
    select * from {{ ref('int_storefront_entities') }}
),

customer_entities as (
    select * from {{ ref('int_ecom_customer_entities') }}
),

final as (
    select entity_id from storefront_map
    union
    select entity_id from customer_entities
)

select * from final
