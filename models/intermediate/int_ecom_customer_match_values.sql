{#
    One row per (customer_key, match_key, match_value): every key value any member of
    the identity carries, for the keys of the identity's precedence list, with that
    key's priority. Matching tries these in priority order.
#}
with

members as (
    select * from {{ ref('int_ecom_customer_members') }}
),

customers as (
    select * from {{ ref('int_ecom_customers') }}
),

precedence as (
    select * from {{ ref('int_match_key_precedence') }}
),

member_keys as (
    {{ unpivot_match_keys('members', 'customer_key') }}
),

final as (
    select distinct
        member_keys.customer_key,
        member_keys.match_key,
        member_keys.match_value,
        precedence.priority
    from member_keys
    inner join customers
        on member_keys.customer_key = customers.customer_key
    inner join precedence
        on
            customers.customer_type = precedence.customer_type
            and member_keys.match_key = precedence.match_key
)

select * from final
