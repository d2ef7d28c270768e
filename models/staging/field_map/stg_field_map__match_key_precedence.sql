{#
    The match_key_precedence field map (seed), cleaned: one row per (customer_type,
    match_key) with its priority (1 is tried first).
#}
with

precedence as (
    select * from {{ ref('match_key_precedence') }}
),

cleaned as (
    select
        lower({{ clean_text('customer_type') }}) as customer_type,
        lower({{ clean_text('match_key') }}) as match_key,
        cast({{ clean_text('priority') }} as integer) as priority
    from precedence
)

select * from cleaned
