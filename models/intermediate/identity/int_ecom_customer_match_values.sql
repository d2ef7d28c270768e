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

final as (
    select
        key_values.customer_key,
        key_values.match_key,
        key_values.match_value,
        precedence.priority
    from key_values
    inner join customers
        on
            key_values.customer_key = customers.customer_key
            and not customers.is_unidentified
    inner join precedence
        on
            customers.customer_type = precedence.customer_type
            and key_values.match_key = precedence.match_key
)

select * from final
