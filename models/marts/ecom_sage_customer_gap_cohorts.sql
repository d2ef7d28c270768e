{#
    The breakdown: one row per (entity_id, cohort) for all six cohorts of every
    evaluated entity, zero rows included, with the customers, orders and value
    attached in the window.
#}
with

absent_customers as (
    select * from {{ ref('int_ecom_absent_customers_classified') }}
    where {{ is_in_gap_scope('customer_type') }}
),

entities as (
    select * from {{ ref('int_evaluated_entities') }}
),

cohorts as (
    {% for cohort in gap_cohorts() %}
    select
        '{{ cohort.cohort }}' as cohort,
        '{{ cohort.customer_type }}' as customer_type,
        cast({{ cohort.sort_order }} as integer) as cohort_order,
        '{{ cohort.label | replace("'", "''") }}' as cohort_label,
        '{{ cohort.consequence | replace("'", "''") }}' as consequence
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

totals as (
    select
        entity_id,
        cohort,
        count(*) as customers,
        sum(orders_in_window) as orders_attached,
        sum(order_value_in_window) as order_value,
        sum(case when is_suspected_duplicate then 1 else 0 end) as suspected_duplicates,
        sum(case when sync_status = 'awaiting_sync' then 1 else 0 end) as awaiting_sync
    from absent_customers
    group by 1, 2
),

final as (
    select
        entities.entity_id,
        cohorts.cohort,
        cohorts.customer_type,
        cohorts.cohort_order,
        cohorts.cohort_label,
        cohorts.consequence,
        cast(coalesce(totals.customers, 0) as bigint) as customers,
        cast(coalesce(totals.orders_attached, 0) as bigint) as orders_attached,
        cast(coalesce(totals.order_value, 0) as decimal(38, 2)) as order_value,
        cast(coalesce(totals.suspected_duplicates, 0) as bigint) as suspected_duplicates,
        cast(coalesce(totals.awaiting_sync, 0) as bigint) as awaiting_sync,
        {{ gap_as_of() }} as as_of
    from entities
    cross join cohorts
    left join totals
        on
            entities.entity_id is not distinct from totals.entity_id
            and cohorts.cohort = totals.cohort
)

select * from final
