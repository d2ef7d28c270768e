-- The cohort rows (one per gap_cohorts() entry) of an entity add up to its headline: customers and orders.
with

gap as (
    select * from {{ ref('ecom_sage_customer_gap') }}
),

cohorts as (
    select * from {{ ref('ecom_sage_customer_gap_cohorts') }}
),

cohort_totals as (
    select
        entity_id,
        count(*) as cohort_rows,
        sum(customers) as customers,
        sum(orders_attached) as orders_attached
    from cohorts
    group by 1
)

select
    gap.entity_id,
    gap.absent_customers,
    cohort_totals.customers,
    gap.orders_attached,
    cohort_totals.orders_attached as cohort_orders_attached,
    cohort_totals.cohort_rows
from gap
left join cohort_totals
    on gap.entity_id is not distinct from cohort_totals.entity_id
where
    cohort_totals.cohort_rows is distinct from {{ gap_cohorts() | length }}
    or gap.absent_customers <> cohort_totals.customers
    or gap.orders_attached <> cohort_totals.orders_attached
