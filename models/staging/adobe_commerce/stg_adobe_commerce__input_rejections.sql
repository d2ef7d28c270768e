{#
    One row per rejected (input row, column) of the Adobe Commerce tables: a value that does not
    parse as its source column declares (timestamp, boolean, money) or an empty
    required value. Staging leaves these rows out; ecom_sage_input_rejections
    publishes them.
#}
select * from (
    {{ rejected_input_rows('adobe_commerce', 'customer_entity') }}
) as customer_entity_rejections

union all

select * from (
    {{ rejected_input_rows('adobe_commerce', 'sales_order') }}
) as sales_order_rejections
