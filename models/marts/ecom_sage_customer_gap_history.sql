{% if target.type == 'spark' -%}
{% do config(incremental_strategy='insert_overwrite', partition_by=['as_of']) %}
{%- endif %}{#
    The gap over time: one row per (as_of, entity_id), appended by every build and
    kept across --full-refresh (full_refresh: false in its YAML). A build at an
    as_of already recorded replaces that as_of's rows (delete+insert on as_of), so
    re-running a day never counts it twice. Spark cannot delete rows from its tables
    (Delta aside): there the table is partitioned by as_of and a build overwrites its
    as_of's partition (insert_overwrite), the same replacement.
#}
with

gap as (
    select * from {{ ref('ecom_sage_customer_gap') }}
),

cohorts as (
    select * from {{ ref('ecom_sage_customer_gap_cohorts') }}
),

cohort_counts as (
    select
        entity_id,
    {% for cohort in gap_cohorts() %}
    cast(sum(case when cohort = '{{ cohort.cohort }}' then customers else 0 end) as bigint)
        as {{ cohort.cohort }}_customers{% if not loop.last %},{% endif %}
    {% endfor %}
    from cohorts
    group by 1
),

final as (
    select
        gap.as_of,
        gap.entity_id,
        gap.window_days,
        gap.gap_scope,
        gap.absent_customers,
        gap.absent_b2b_customers,
        gap.absent_dtc_customers,
        gap.orders_attached,
        gap.order_value_attached,
        gap.suspected_duplicates,
        gap.awaiting_sync,
        {% for cohort in gap_cohorts() %}
        coalesce(cohort_counts.{{ cohort.cohort }}_customers, 0) as {{ cohort.cohort }}_customers,
        {% endfor %}
        gap.alert_threshold,
        gap.b2b_alert_threshold,
        gap.is_alert,
        gap.is_b2b_alert,
        gap.sentiment,
        cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as timestamp) as built_at
    from gap
    left join cohort_counts
        on gap.entity_id is not distinct from cohort_counts.entity_id
)

select * from final
