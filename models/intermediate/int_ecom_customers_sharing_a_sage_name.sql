{#
    One row per (absent customer_key, entity_id, Sage customer) where one of the
    customer's names (person names for DTC, company names for B2B) equals the same kind
    of name of an active, visible, non-holding Sage row in that entity. A name-based
    manual comparison calls these customers present (reconciliation reason
    match_key_choice); the card matched on VAT number, account reference or email and
    found no record.
#}
with

matched as (
    select * from {{ ref('int_ecom_customers_matched_to_sage') }}
),

contact_details as (
    select * from {{ ref('int_ecom_customer_contact_details') }}
),

visible_sage_customers as (
    select * from {{ ref('int_sage_customers_visible_by_entity') }}
),

absent_names as (
    select
        matched.customer_key,
        matched.entity_id,
        matched.customer_type,
        contact_details.detail_value as normalised_name
    from matched
    inner join contact_details
        on
            matched.customer_key = contact_details.customer_key
            and contact_details.detail_type
            = case when matched.customer_type = 'b2b' then 'company_name' else 'person_name' end
    where not matched.is_present
),

final as (
    select distinct
        absent_names.customer_key,
        absent_names.entity_id,
        absent_names.normalised_name,
        visible_sage_customers.sage_customer_id,
        visible_sage_customers.customer_name as sage_customer_name
    from absent_names
    inner join visible_sage_customers
        on
            absent_names.entity_id is not distinct from visible_sage_customers.evaluated_entity_id
            and visible_sage_customers.status = 'active'
            and absent_names.normalised_name
            = case
                when absent_names.customer_type = 'b2b' then visible_sage_customers.company_name
                else visible_sage_customers.person_name
            end
)

select * from final
