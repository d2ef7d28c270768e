{#
    One row per rejected (input row, column) of the Shopify tables: a value that does not
    parse as its source column declares (timestamp, boolean, money) or an empty
    required value. Staging leaves these rows out; ecom_sage_input_rejections
    publishes them.
#}
select * from (
    {{ rejected_input_rows('shopify', 'customer') }}
) as customer_rejections

union all

select * from (
    {{ rejected_input_rows('shopify', 'customer_address') }}
) as customer_address_rejections

union all

select * from (
    {{ rejected_input_rows('shopify', 'order') }}
) as order_rejections
