{{ config(severity=sage_sync_check_severity(), store_failures=true) }}
-- The Sage master the card joins against must have synced within
-- sage_sync_max_age_hours (default 72) of gap_as_of: a stale master reads every
-- customer created since as absent. This is the file-mode equivalent of
-- `dbt source freshness`, measured at gap_as_of rather than at the wall clock. A sync
-- time that is unknown (no _fivetran_synced, docs/definition/sync-timing.md, and no var
-- sage_last_synced_at) cannot be judged: it passes, as the bookkeeping column is optional.
{%- set max_age_hours = sage_sync_max_age_hours() %}
with

sync_state as (
    select * from {{ ref('int_sage_sync_state') }}
),

checked as (
    select
        sage_last_synced_at,
        sage_last_synced_at_source,
        {{ gap_as_of() }} as as_of,
        {{ max_age_hours }} as max_age_hours,
        case
            when sage_last_synced_at < {{ dbt.dateadd('hour', -1 * max_age_hours, gap_as_of()) }}
                then
                    'the last Sage sync is more than sage_sync_max_age_hours ({{ max_age_hours }} h) before'
                    || ' gap_as_of: every customer created in Sage since would read as absent; check the'
                    || ' Sage sync, or the gap_as_of of this run'
        end as problem
    from sync_state
)

select * from checked
where problem is not null
