{#
    One row per (customer_key, match_key, match_value) for the keys of the identity's
    precedence list, with that key's priority. Matching tries these in priority order.
    An unidentified customer (no value for any key of its list on its own record) has
    none: it counts and can never match, whatever its orders carry.
#}
with

key_values as (
    select * from {{ ref('int_ecom_customer_key_values') }}
),

customers as (
    select * from {{ ref('int_ecom_customers') }}
),

precedence as (
    select * from {{ ref('int_match_key_precedence') }}
),

identified_key_values as (
    select
        key_values.customer_key,
        key_values.match_key,
        key_values.match_value,
        customers.customer_type
    from key_values
    inner join customers
        on
            key_values.customer_key = customers.customer_key
            and not customers.is_unidentified
),

keyed as (
    {{ match_key_priority('identified_key_values', 'precedence', 'customer_type') }}
),

final as (
    select
        customer_key,
        match_key,
        match_value,
        priority
    from keyed
)

select * from final
