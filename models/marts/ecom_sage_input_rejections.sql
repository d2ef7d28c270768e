{#
    One row per rejected (input row, column) across the enabled sources: the raw value
    that could not be read, and why. A rejected row is left out of every other model,
    so the data test rejected_input_rows_affecting_the_window fails the scheduled run
    when a rejection could change this run's numbers (could_affect_window).
#}
{#- The test's severity comes from this var; checked here, as test configs cannot call macros. -#}
{%- do input_rejection_severity() -%}
{%- set sources = enabled_storefronts() + ['sage_intacct'] %}

with

rejections as (
    {%- for source_name in sources %}
    select * from {{ ref('stg_' ~ source_name ~ '__input_rejections') }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

-- An order dated after gap_as_of does not exist for this evaluation; every other
-- rejected row can change the card (a Sage row, a customer record, any order up to
-- gap_as_of: even an old one decides whether a customer is new).
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
        coalesce(row_created_at <= {{ gap_as_of() }}, true) as could_affect_window
    from rejections
)

select * from final
