{#
    One row per rejected (input row, column) across the enabled sources: the raw value
    that could not be read, and why. A rejected row is left out of every other model,
    so the data test rejected_input_rows_affecting_the_window fails the scheduled run
    when a rejection could change this run's numbers (could_affect_window).
#}
{#- The test's severity comes from this var; checked here, as test configs cannot call macros. -#}
{%- do input_rejection_severity() -%}

with

rejections as (
    select * from {{ ref('int_input_rejections') }}
),

-- An order dated after gap_as_of does not exist for this evaluation, and an order
-- total counts only inside the window; every other rejection can change the card
-- (a Sage row, a customer record, an order's time, validity or deletion flag).
final as (
    select
        source_name,
        table_name,
        row_id,
        column_name,
        raw_value,
        reason,
        row_created_at,
        {{ gap_as_of() }} as as_of,
        case
            when row_created_at > {{ gap_as_of() }} then false
            when reason = 'not a number' and row_created_at <= {{ gap_window_start() }} then false
            else true
        end as could_affect_window
    from rejections
)

select * from final
