-- Why a name-based comparison of the two customer lists disagrees with the card:
-- absent customers whose name equals an active Sage customer's name (a manual
-- comparison calls them present), with the Sage record that shares the name (the lowest
-- customerid, and how many share it). The card matched on VAT number / account
-- reference / email and found no record.
with

absent as (
    select * from {{ ref('ecom_sage_customer_gap_customers') }}
),

shared_names as (
    select * from {{ ref('int_ecom_customers_sharing_a_sage_name') }}
)

select
    absent.entity_id,
    absent.customer_key,
    absent.customer_name,
    absent.email,
    absent.vat_number,
    shared_names.sage_customer_id as same_name_sage_customer_id,
    shared_names.sage_customer_name,
    shared_names.sage_customers_sharing_name
from absent
inner join shared_names
    on
        absent.customer_key = shared_names.customer_key
        and absent.entity_id is not distinct from shared_names.entity_id
order by 1, 2
