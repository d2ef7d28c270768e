{#
    One row per storefront customer record id that valid orders up to gap_as_of point
    at (a live record or not: a deleted record's id still has its orders), with that
    history in one row: the first and latest valid order and how many.

    The customer list reads a record's history from here and identity reads which
    record ids are not live (their orders are guest orders), so no later model carries
    every order of a customer. It is one narrow pass over the stored orders
    (int_ecom_orders itself, with the as-of rule of exists_at_gap_as_of: the entity
    joins of int_ecom_orders_as_of are not needed here), rebuilt at each run because it
    depends on gap_as_of (DECISIONLOG.md: "Per-record order history, rebuilt from one
    narrow pass").
#}
with

orders as (
    select
        storefront,
        customer_record_id,
        created_at
    from {{ ref('int_ecom_orders') }}
    where
        is_valid
        and customer_record_id is not null
        and {{ exists_at_gap_as_of('created_at') }}
),

final as (
    select
        storefront,
        customer_record_id,
        min(created_at) as first_order_at,
        max(created_at) as last_order_at,
        count(*) as orders_to_date
    from orders
    group by 1, 2
)

select * from final
