{#
    One row per ecommerce customer in scope: a customer (customer_key) with at least
    one valid order in the window, through its live record or as a guest order. The
    one place scope is decided; every later model is proportional to these customers,
    not to the whole history.
#}
with

window_orders as (
    select * from {{ ref('int_ecom_window_orders') }}
),

final as (
    select distinct customer_key
    from window_orders
)

select * from final
