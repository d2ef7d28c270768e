{#
    One row per (entity_id, reason) of the reconciliation table: why a manual
    customer-list comparison reads differently from the card, measured for this run
    (customers affected and their in-window orders in that entity).
#}
with

classified as (
    select * from {{ ref('int_ecom_customers_absent_classified') }}
),

reasons as (
    select * from {{ ref('reconciliation_reasons') }}
),

entities as (
    select * from {{ ref('int_sage_entities') }}
),

-- Scope-dependent reasons read the customers the card counts; b2b_vs_dtc_scope reads
-- the DTC absences a B2B-scoped card leaves out (or would leave out).
in_scope as (
    select * from classified
    {% if gap_scope() == 'b2b' %}
        where customer_type = 'b2b'
    {% endif %}
),

flagged as (
    select
        entity_id,
        'match_key_choice' as reason,
        orders_in_window
    from in_scope
    where name_matches_sage
    union all
    select
        entity_id,
        'generic_holding_customer' as reason,
        orders_in_window
    from in_scope
    where orders_posted_to_holding > 0
    union all
    select
        entity_id,
        'sync_timing' as reason,
        orders_in_window
    from in_scope
    where sync_status = 'awaiting_sync'
    union all
    select
        entity_id,
        'duplicate_email_merge' as reason,
        orders_in_window
    from in_scope
    where is_suspected_duplicate
    union all
    select
        entity_id,
        'b2b_vs_dtc_scope' as reason,
        orders_in_window
    from classified
    where customer_type = 'dtc'
    union all
    select
        entity_id,
        'multi_entity_master' as reason,
        orders_in_window
    from in_scope
    where is_present_in_other_entity
    union all
    select
        entity_id,
        'inactive_customer_records' as reason,
        orders_in_window
    from in_scope
    where cohort = 'inactive_in_sage'
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
