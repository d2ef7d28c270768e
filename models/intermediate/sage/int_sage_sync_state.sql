{#
    One row: the instant the card treats as the last Sage sync, the `sage_last_synced_at`
    var when set, else the latest _fivetran_synced of the Sage customer table (deleted
    rows included: a deletion is also a sync). A customer who first ordered in the
    window after it may simply not be synced yet.
#}
{%- set configured = var('sage_last_synced_at', none) -%}
{%- set use_configured = configured is not none and (configured | string | trim) != '' -%}
{%- set last_synced_expression = (
    timestamp_var_literal('sage_last_synced_at', configured) if use_configured else 'max_fivetran_synced_at'
) -%}

with

sage_customers as (
    select * from {{ ref('stg_sage_intacct__customers') }}
),

derived as (
    select max(fivetran_synced_at) as max_fivetran_synced_at
    from sage_customers
),

final as (
    select
        {{ last_synced_expression }} as sage_last_synced_at,
        '{{ "var" if use_configured else "max_fivetran_synced" }}' as sage_last_synced_at_source
    from derived
)

select * from final
