{#
    One row per rejected (input row, column) of the BigCommerce tables: a value that does not
    parse as its source column declares (timestamp, boolean, money) or an empty
    required value. Staging leaves these rows out; ecom_sage_input_rejections
    publishes them.
#}
{{ source_input_rejections('bigcommerce', ['customer', 'orders']) }}
