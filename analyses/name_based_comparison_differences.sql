-- Why a name-based comparison of the two customer lists disagrees with the card:
-- absent customers whose name equals an active Sage customer's name (a manual
-- comparison calls them present), with the Sage record that shares the name (the lowest
-- customerid, and how many share it). The card matched on VAT number / account
-- reference / email and found no record (docs/definition/reconciliation.md).
with

absent as (
    select * from {{ ref('ecom_sage_customer_gap_customers') }}
    where name_matches_sage
),

details as (
    select * from {{ ref('int_ecom_absent_customer_details') }}
),

sage_customers as (
    select * from {{ ref('int_sage_customers_by_entity') }}
    where status = 'active'
),

absent_names as (
    select
        absent.entity_id,
        absent.customer_key,
        details.detail_type as name_kind,
        details.detail_value as normalised_name
    from absent
    inner join details
        on
            absent.customer_key = details.customer_key
            and details.detail_type
            = case when absent.customer_type = 'b2b' then 'company_name' else 'person_name' end
),

sage_names as (
    select
        evaluated_entity_id,
        sage_customer_id,
        customer_name,
        'person_name' as name_kind,
        person_name as normalised_name
    from sage_customers
    union all
    select
        evaluated_entity_id,
        sage_customer_id,
        customer_name,
        'company_name' as name_kind,
        company_name as normalised_name
    from sage_customers
),

shared_names as (
    select
        absent_names.entity_id,
        absent_names.customer_key,
        min(sage_names.sage_customer_id) as same_name_sage_customer_id,
        count(distinct sage_names.sage_customer_id) as sage_customers_sharing_name
    from absent_names
    inner join sage_names
        on
            absent_names.entity_id is not distinct from sage_names.evaluated_entity_id
            and absent_names.name_kind = sage_names.name_kind
            and absent_names.normalised_name = sage_names.normalised_name
    group by 1, 2
)

select
    absent.entity_id,
    absent.customer_key,
    absent.customer_name,
    absent.email,
    absent.vat_number,
    shared_names.same_name_sage_customer_id,
    shared_names.sage_customers_sharing_name
from absent
inner join shared_names
    on
        absent.customer_key = shared_names.customer_key
        and absent.entity_id is not distinct from shared_names.entity_id
order by 1, 2
