{#
    One row per (absent customer_key, entity_id, normalised name) where one of the
    customer's names (person names for DTC, company names for B2B) equals the same kind
    of name of an active, visible, non-holding Sage row in that entity. A name-based
    manual comparison calls these customers present (reconciliation reason
    match_key_choice); the card matched on VAT number, account reference or email and
    found no record. The Sage side is grouped by name first (how many rows share it,
    and the lowest customerid), so a common name costs one row, not one per namesake.
#}
with

absent as (
    select * from {{ ref('int_ecom_customers_absent') }}
),

contact_details as (
    select * from {{ ref('int_ecom_customer_contact_details') }}
),

visible_sage_customers as (
    select * from {{ ref('int_sage_customers_visible_by_entity') }}
    where status = 'active'
),

absent_names as (
    select distinct
        absent.customer_key,
        absent.entity_id,
        contact_details.detail_type as name_kind,
        contact_details.detail_value as normalised_name
    from absent
    inner join contact_details
        on
            absent.customer_key = contact_details.customer_key
            and contact_details.detail_type
            = case when absent.customer_type = 'b2b' then 'company_name' else 'person_name' end
),

sage_names as (
    select
        evaluated_entity_id,
        'person_name' as name_kind,
        person_name as normalised_name,
        sage_customer_id,
        customer_name
    from visible_sage_customers
    where person_name is not null
    union all
    select
        evaluated_entity_id,
        'company_name' as name_kind,
        company_name as normalised_name,
        sage_customer_id,
        customer_name
    from visible_sage_customers
    where company_name is not null
),

ranked_sage_names as (
    select
        evaluated_entity_id,
        name_kind,
        normalised_name,
        sage_customer_id,
        customer_name as sage_customer_name,
        row_number() over (
            partition by evaluated_entity_id, name_kind, normalised_name
            order by sage_customer_id
        ) as name_rank,
        count(*) over (
            partition by evaluated_entity_id, name_kind, normalised_name
        ) as sage_customers_sharing_name
    from sage_names
),

sage_name_groups as (
    select * from ranked_sage_names
    where name_rank = 1
),

final as (
    select
        absent_names.customer_key,
        absent_names.entity_id,
        absent_names.normalised_name,
        sage_name_groups.sage_customer_id,
        sage_name_groups.sage_customer_name,
        sage_name_groups.sage_customers_sharing_name
    from absent_names
    inner join sage_name_groups
        on
            absent_names.entity_id is not distinct from sage_name_groups.evaluated_entity_id
            and absent_names.name_kind = sage_name_groups.name_kind
            and absent_names.normalised_name = sage_name_groups.normalised_name
)

select * from final
