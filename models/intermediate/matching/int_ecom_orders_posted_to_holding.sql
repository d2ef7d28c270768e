{#
    One row per valid in-window order, flagged when Sage already holds it against a
    generic holding customer (see the look_through_holding_customers macro).
#}
with

orders as (
    select * from {{ ref('int_ecom_window_orders') }}
),

sales_documents as (
    select * from {{ ref('stg_sage_intacct__sales_documents') }}
),

holding_customers as (
    select * from {{ ref('int_holding_customers_by_entity') }}
),

looked_through as (
    {{ look_through_holding_customers('orders', 'sales_documents', 'holding_customers') }}
)

select * from looked_through
