{#
    One row per (evaluated entity, holding customer that applies in it): the one home
    of the holding-entity rule. A holding row with no entity_id applies in every
    entity; one with an entity_id applies in that entity, and in a single-entity
    company (evaluated entity null) everywhere. Both uses (Sage rows that never make
    anyone present, and the orders Sage holds against a holding customer) join this
    on equality.
#}
with

holding_customers as (
    select * from {{ ref('int_holding_customers') }}
),

entities as (
    select * from {{ ref('int_evaluated_entities') }}
),

final as (
    select distinct
        entities.entity_id as evaluated_entity_id,
        holding_customers.account_ref
    from entities
    inner join holding_customers
        on
            entities.entity_id is null
            or holding_customers.entity_id is null
            or entities.entity_id = holding_customers.entity_id
)

select * from final
