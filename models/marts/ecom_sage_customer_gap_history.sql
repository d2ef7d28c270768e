{% if is_spark_family() -%}
{% do config(incremental_strategy='insert_overwrite', partition_by=['as_of']) %}
{%- endif %}{#
    The gap over time: one row per (as_of, entity_id), appended by every build and
    kept across --full-refresh (full_refresh: false in its YAML). A build at an
    as_of already recorded replaces that as_of's rows (delete+insert on as_of), so
    re-running a day never counts it twice. Spark cannot delete rows from its tables
    (Delta aside): there the table is partitioned by as_of and a build overwrites its
    as_of's partition (insert_overwrite), the same replacement.
    Its counts are the headline's (ecom_sage_customer_gap), computed from the same
    absent customers; the test history_records_this_run checks they agree.
#}
with

absent_customers as (
    select * from {{ ref('int_ecom_absent_customers_classified') }}
    where {{ is_in_gap_scope('customer_type') }}
),

entities as (
    select * from {{ ref('int_evaluated_entities') }}
),

totals as (
    select
        entity_id,
        count(*) as absent_customers,
        sum(case when customer_type = 'b2b' then 1 else 0 end) as absent_b2b_customers,
        sum(case when customer_type = 'dtc' then 1 else 0 end) as absent_dtc_customers,
        sum(orders_in_window) as orders_attached,
        sum(order_value_in_window) as order_value_attached,
        sum(case when is_suspected_duplicate then 1 else 0 end) as suspected_duplicates,
        sum(case when sync_status = 'awaiting_sync' then 1 else 0 end) as awaiting_sync,
        {%- for cohort in gap_cohorts() %}
        sum(case when cohort = '{{ cohort.cohort }}' then 1 else 0 end) as {{ cohort.cohort }}_customers
        {%- if not loop.last %},{% endif %}
        {%- endfor %}
    from absent_customers
    group by 1
),

counted as (
    select
        {{ gap_as_of() }} as as_of,
        entities.entity_id,
        cast({{ var('gap_window_days', 7) | int }} as integer) as window_days,
        '{{ gap_scope() }}' as gap_scope,
        cast(coalesce(totals.absent_customers, 0) as bigint) as absent_customers,
        cast(coalesce(totals.absent_b2b_customers, 0) as bigint) as absent_b2b_customers,
        cast(coalesce(totals.absent_dtc_customers, 0) as bigint) as absent_dtc_customers,
        cast(coalesce(totals.orders_attached, 0) as bigint) as orders_attached,
        cast(coalesce(totals.order_value_attached, 0) as decimal(38, 2)) as order_value_attached,
        cast(coalesce(totals.suspected_duplicates, 0) as bigint) as suspected_duplicates,
        cast(coalesce(totals.awaiting_sync, 0) as bigint) as awaiting_sync,
        {%- for cohort in gap_cohorts() %}
        cast(coalesce(totals.{{ cohort.cohort }}_customers, 0) as bigint) as {{ cohort.cohort }}_customers
        {%- if not loop.last %},{% endif %}
        {%- endfor %}
    from entities
    left join totals
        on entities.entity_id is not distinct from totals.entity_id
),

final as (
    select
        counted.*,
        {{ gap_alert_columns('counted.absent_customers', 'counted.absent_b2b_customers') }},
        cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as timestamp) as built_at
    from counted
)

select * from final
