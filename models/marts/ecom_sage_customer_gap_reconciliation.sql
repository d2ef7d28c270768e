{#
    One row per (entity_id, reason) of the reconciliation_reasons seed: why a manual
    customer-list comparison reads differently from the card, measured for this run
    (customers affected and their in-window orders in that entity) by the reason's
    rule in reconciliation_reason_rules.
#}
with

classified as (
    select * from {{ ref('int_ecom_absent_customers_classified') }}
),

reasons as (
    select * from {{ ref('reconciliation_reasons') }}
),

entities as (
    select * from {{ ref('int_evaluated_entities') }}
),

counted as (
    select * from classified
    where {{ is_in_gap_scope('customer_type') }}
),

-- One row per (reason, absent customer it affects), from reconciliation_reason_rules.
flagged as (
    {% for rule in reconciliation_reason_rules() %}
    select
        entity_id,
        '{{ rule.reason }}' as reason,
        orders_in_window
    from {{ 'classified' if rule.population == 'all_absent' else 'counted' }}
    where {{ rule.rule }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

measured as (
    select
        entity_id,
        reason,
        count(*) as customers_affected,
        sum(orders_in_window) as orders_affected
    from flagged
    group by 1, 2
),

final as (
    select
        entities.entity_id,
        {{ clean_text('reasons.reason') }} as reason,
        {{ clean_text('reasons.direction') }} as direction,
        {{ clean_text('reasons.why') }} as why,
        cast(coalesce(measured.customers_affected, 0) as bigint) as customers_affected,
        cast(coalesce(measured.orders_affected, 0) as bigint) as orders_affected,
        {{ gap_as_of() }} as as_of
    from entities
    cross join reasons
    left join measured
        on
            entities.entity_id is not distinct from measured.entity_id
            and {{ clean_text('reasons.reason') }} = measured.reason
)

select * from final
