{#
    One row per absent (customer_key, entity_id) that has a suspected duplicate in
    the Sage master visible in that entity: an active, non-holding row with the same
    phone, or the same postcode and a name similarity >= fuzzy_name_similarity_threshold.
    The best candidate wins: a phone match first, then the highest similarity, then
    the lowest customerid.
#}
with

absent as (
    select * from {{ ref('int_ecom_customers_absent') }}
),

contact_details as (
    select * from {{ ref('int_ecom_customer_contact_details') }}
),

visible_sage_customers as (
    select * from {{ ref('int_sage_customers_visible_by_entity') }}
),

sage_blocking_keys as (
    select * from {{ ref('int_sage_blocking_keys') }}
),

candidates as (
    {{ suspected_duplicate_candidates(
        'absent',
        'contact_details',
        'visible_sage_customers',
        'sage_blocking_keys',
        number_var('fuzzy_name_similarity_threshold', 0.92, 0, 1)
    ) }}
),

ranked as (
    select
        *,
        row_number() over (
            partition by customer_key, entity_id
            order by
                case when has_phone_match then 0 else 1 end,
                name_similarity desc nulls last,
                sage_customer_id asc
        ) as candidate_rank
    from candidates
),

final as (
    select
        customer_key,
        entity_id,
        sage_customer_id as suspected_sage_customer_id,
        name_similarity as suspected_name_similarity,
        case when has_phone_match then 'phone' else 'postcode_and_name' end as suspected_match_reason
    from ranked
    where candidate_rank = 1
)

select * from final
