{#
    The storefronts field map (seed), cleaned: one row per (storefront, store_key)
    with the Sage entity its orders post to (null for a single-entity company) and its
    default customer type. store_key `*` stands for any store of the storefront.
#}
with

storefronts as (
    select * from {{ ref('storefronts') }}
),

cleaned as (
    select
        lower({{ clean_text('storefront') }}) as storefront,
        coalesce({{ clean_text('store_key') }}, '*') as store_key,
        {{ clean_text('entity_id') }} as entity_id,
        lower({{ clean_text('default_customer_type') }}) as default_customer_type
    from storefronts
)

select * from cleaned
