{#
    The holding_customers field map (seed), cleaned: one row per generic / web-sales
    holding customer (customerid trimmed and upper-cased), optionally limited to one
    Sage entity.
#}
with

holding_customers as (
    select * from {{ ref('holding_customers') }}
),

cleaned as (
    select
        {{ normalise_account_ref('sage_customer_id') }} as account_ref,
        {{ clean_text('entity_id') }} as entity_id,
        {{ clean_text('description') }} as description
    from holding_customers
    where {{ normalise_account_ref('sage_customer_id') }} is not null
)

select * from cleaned
