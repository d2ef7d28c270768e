-- The headline, its B2B / DTC split and its flags are the customers mart, counted.
with

gap as (
    select * from {{ ref('ecom_sage_customer_gap') }}
),

customers as (
    select * from {{ ref('ecom_sage_customer_gap_customers') }}
),

counted as (
    select
        entity_id,
        count(*) as absent_customers,
        sum(case when customer_type = 'b2b' then 1 else 0 end) as absent_b2b_customers,
        sum(case when is_suspected_duplicate then 1 else 0 end) as suspected_duplicates,
        sum(case when sync_status = 'awaiting_sync' then 1 else 0 end) as awaiting_sync
    from customers
    group by 1
)

select gap.*
from gap
left join counted
    on gap.entity_id is not distinct from counted.entity_id
where
    gap.absent_customers <> coalesce(counted.absent_customers, 0)
    or gap.absent_b2b_customers <> coalesce(counted.absent_b2b_customers, 0)
    or gap.absent_dtc_customers <> gap.absent_customers - gap.absent_b2b_customers
    or gap.suspected_duplicates <> coalesce(counted.suspected_duplicates, 0)
    or gap.awaiting_sync <> coalesce(counted.awaiting_sync, 0)
    or gap.is_alert <> (gap.absent_customers > gap.alert_threshold)
    or gap.is_b2b_alert <> (gap.absent_b2b_customers > gap.b2b_alert_threshold)
