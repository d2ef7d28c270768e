-- Why a name-based comparison of the two customer lists disagrees with the card:
-- absent customers whose name equals an active Sage customer's name (a manual
-- comparison calls them present), with the Sage record that shares the name. The card
-- matched on VAT number / account reference / email and found no record.
with

absent as (
    select * from {{ ref('ecom_sage_customer_gap_customers') }}
    where name_matches_sage
),

details as (
    select * from {{ ref('int_ecom_customer_contact_details') }}
),

sage as (
    select * from {{ ref('int_sage_customers_visible_by_entity') }}
    where status = 'active'
)

select distinct
    absent.entity_id,
    absent.customer_key,
    absent.customer_name,
    absent.email,
    absent.vat_number,
    sage.sage_customer_id as same_name_sage_customer_id,
    sage.customer_name as sage_customer_name,
    sage.vat_number as sage_vat_number,
    sage.account_ref as sage_account_ref
from absent
inner join details
    on
        absent.customer_key = details.customer_key
        and details.detail_type
        = case when absent.customer_type = 'b2b' then 'company_name' else 'person_name' end
inner join sage
    on
        absent.entity_id is not distinct from sage.evaluated_entity_id
        and details.detail_value
        = case when absent.customer_type = 'b2b' then sage.company_name else sage.person_name end
order by 1, 2
