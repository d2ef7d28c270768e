{#
    One row per (entity, live Sage customer record visible in that entity and not a
    holding customer there). Visible in entity E: top-level rows (no megaentityid)
    not restricted to the root, or rows of E itself; for a single-entity company
    (E null) every row. Holding customers never make anyone present, so they are
    left out here, in each entity where they apply (holding_customer_applies).
    Matching, the fuzzy duplicate check, the name comparison and the count of active
    Sage customers all read the master through this model.
#}
with

sage_customers as (
    select * from {{ ref('int_sage_customers') }}
),

entities as (
    select * from {{ ref('int_evaluated_entities') }}
),

holding_customers as (
    select * from {{ ref('stg_field_map__holding_customers') }}
),

-- Three equality-or-cross joins instead of one join on an OR condition, so the plan
-- stays hash joins and small cross products (entities are few) at any master size.
single_entity as (
    select entity_id from entities
    where entity_id is null
),

named_entities as (
    select entity_id from entities
    where entity_id is not null
),

visible as (
    select
        sage_customers.*,
        single_entity.entity_id as evaluated_entity_id
    from single_entity
    cross join sage_customers
    union all
    select
        sage_customers.*,
        named_entities.entity_id as evaluated_entity_id
    from named_entities
    cross join sage_customers
    where sage_customers.entity_id is null and not sage_customers.is_root_only
    union all
    select
        sage_customers.*,
        named_entities.entity_id as evaluated_entity_id
    from named_entities
    inner join sage_customers
        on named_entities.entity_id = sage_customers.entity_id
),

-- An anti-join written as a left join and a null test: DuckDB plans a correlated
-- not-exists as a delim join that buffers every row first. The holding table is a
-- handful of rows, so the entity condition is a filter on the account_ref hash join.
final as (
    select visible.*
    from visible
    left join holding_customers
        on
            visible.account_ref = holding_customers.account_ref
            and {{ holding_customer_applies('holding_customers.entity_id', 'visible.evaluated_entity_id') }}
    where holding_customers.account_ref is null
)

select * from final
