{#
    Who is buying against who Sage knows: one row per Sage entity with the ordering
    customers (a valid order in the window posting to the entity), how many are present
    in the entity's Sage master and how many absent, in all and per type, the match rate,
    and the denominator card's count: the Sage customers the entity sees that exist at
    gap_as_of, live, active and not holding customers. All types, whatever gap_scope:
    present + absent = ordering (docs/definition/sibling-cards.md).

    Rejoins: int_sage_customers_by_entity is also read by the matching and
    int_evaluated_entities by the master; the match rate counts the active master of
    every entity, the matching only what customers reached.
#}
with

customer_entities as (
    select * from {{ ref('int_ecom_customers_matched_to_sage') }}
),

entities as (
    select * from {{ ref('int_evaluated_entities') }}
),

sage_customers as (
    select * from {{ ref('int_sage_customers_by_entity') }}
    where status = 'active'
),

ordering as (
    select
        entity_id,
        count(*) as ordering_customers,
        sum(case when is_present then 1 else 0 end) as present_customers,
        sum(case when is_present then 0 else 1 end) as absent_customers,
        sum(case when customer_type = 'b2b' then 1 else 0 end) as b2b_ordering_customers,
        sum(case when customer_type = 'b2b' and is_present then 1 else 0 end) as b2b_present_customers,
        sum(case when customer_type = 'b2b' and not is_present then 1 else 0 end) as b2b_absent_customers,
        sum(case when customer_type = 'dtc' then 1 else 0 end) as dtc_ordering_customers,
        sum(case when customer_type = 'dtc' and is_present then 1 else 0 end) as dtc_present_customers,
        sum(case when customer_type = 'dtc' and not is_present then 1 else 0 end) as dtc_absent_customers
    from customer_entities
    group by 1
),

active_in_sage as (
    select
        evaluated_entity_id as entity_id,
        count(*) as sage_active_customers
    from sage_customers
    group by 1
),

counted as (
    select
        entities.entity_id,
        {%- for column in ['ordering_customers', 'present_customers', 'absent_customers',
                           'b2b_ordering_customers', 'b2b_present_customers', 'b2b_absent_customers',
                           'dtc_ordering_customers', 'dtc_present_customers', 'dtc_absent_customers'] %}
        cast(coalesce(ordering.{{ column }}, 0) as bigint) as {{ column }},
        {%- endfor %}
        cast(coalesce(active_in_sage.sage_active_customers, 0) as bigint) as sage_active_customers
    from entities
    left join ordering
        on entities.entity_id is not distinct from ordering.entity_id
    left join active_in_sage
        on entities.entity_id is not distinct from active_in_sage.entity_id
),

final as (
    select
        entity_id,
        ordering_customers,
        present_customers,
        absent_customers,
        case
            when ordering_customers > 0 then cast(present_customers as {{ type_double() }}) / ordering_customers
        end as match_rate,
        b2b_ordering_customers,
        b2b_present_customers,
        b2b_absent_customers,
        dtc_ordering_customers,
        dtc_present_customers,
        dtc_absent_customers,
        sage_active_customers,
        {{ gap_as_of() }} as as_of
    from counted
)

select * from final
