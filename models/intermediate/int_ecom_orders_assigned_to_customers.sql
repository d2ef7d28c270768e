{#
    One row per valid storefront order up to gap_as_of, with the identity member it
    belongs to (its live customer record, or itself as a guest order) and so its
    ecommerce customer (customer_key).
#}
with

orders as (
    select * from {{ ref('int_ecom_orders') }}
),

members as (
    select * from {{ ref('int_ecom_customer_members') }}
),

record_members as (
    select * from members
    where member_kind = 'record'
),

guest_members as (
    select * from members
    where member_kind = 'guest_order'
),

assigned as (
    select
        orders.*,
        coalesce(record_members.member_id, guest_members.member_id) as member_id,
        coalesce(record_members.customer_key, guest_members.customer_key) as customer_key,
        record_members.member_id is null as is_guest_order
    from orders
    left join record_members
        on
            orders.storefront = record_members.storefront
            and orders.customer_record_id = record_members.source_id
    left join guest_members
        on {{ dbt.concat(["'order:'", "orders.order_key"]) }} = guest_members.member_id
    where orders.is_valid
)

select * from assigned
