{#
    One row per absent (customer_key, entity_id), before the gap_scope filter (the
    marts apply it): the suspected duplicate, the facts the reconciliation reasons
    read, the sync status, the cohort and what to do about it.

    The steps, in order:
    1. the suspected duplicate (docs/definition/suspected-duplicates.md): active
       visible Sage rows that share a blocking key with the customer, a phone or a
       postcode; a postcode candidate needs a name similarity of at least
       fuzzy_name_similarity_threshold (person names for DTC, company names for B2B);
       the best candidate is a phone match first, then the highest similarity, then
       the lowest customerid;
    2. the name comparison a manual check would make: one of the customer's names
       equals the same kind of name of an active visible row (match_key_choice);
    3. present in another entity (multi_entity_master);
    4. sync status: the first in-window order strictly after the last Sage sync is
       awaiting_sync, else missing;
    5. the cohort and the recommended action (macro gap_cohorts, their one home).

    Rejoins: int_ecom_customers_matched_to_sage is also read by
    int_ecom_absent_customer_details (details are per customer; the facts here per
    customer and entity), and int_sage_customers_by_entity by the matching (which does
    not carry the rows' phones, postcodes and names).
#}
{%- set threshold = number_var('fuzzy_name_similarity_threshold', 0.92, 0, 1) %}
{%- set max_block_size = fuzzy_block_cap() %}

with

matched as (
    select * from {{ ref('int_ecom_customers_matched_to_sage') }}
),

absent as (
    select * from matched
    where not is_present
),

-- The absent customers' normalised phones, postcodes and names. Built from the absent
-- rows of the matching above, and read here beside them: the details are per customer,
-- the facts below per (customer, entity).
details as (
    select * from {{ ref('int_ecom_absent_customer_details') }}
),

-- Read beside the matching that also read it: the check and the name comparison need
-- the rows' phones, postcodes and names, which matching does not carry.
visible_sage_customers as (
    select * from {{ ref('int_sage_customers_by_entity') }}
),

sync_state as (
    select * from {{ ref('int_sage_sync_state') }}
),

-- 1. The suspected duplicate.
customer_keys as (
    {{ customer_blocking_keys('absent', 'details') }}
),

sage_keys as (
    {{ sage_blocking_keys('visible_sage_customers', 'customer_keys') }}
),

-- The Sage rows that share a phone with the customer: few, so deduplicated here.
phone_matches as (
    select distinct
        customer_keys.customer_key,
        customer_keys.entity_id,
        sage_keys.sage_record_number
    from customer_keys
    inner join sage_keys
        on
            customer_keys.blocking_value = sage_keys.blocking_value
            and customer_keys.entity_id is not distinct from sage_keys.evaluated_entity_id
    where
        customer_keys.detail_type = 'phone'
        and sage_keys.detail_type = 'phone'
        and customer_keys.block_size <= {{ max_block_size }}
        and sage_keys.block_size <= {{ max_block_size }}
),

-- Every blocked pair, scored as it leaves the join (names are compared only within a
-- pair) and kept when it is a phone match or its names are similar enough: only the
-- survivors are grouped, so memory follows the suspected duplicates, not the pairs (a
-- postcode shared by hundreds of Sage rows makes many pairs: 77M at R10).
scored_pairs as (
    select
        customer_keys.customer_key,
        customer_keys.entity_id,
        sage.sage_customer_id,
        phone_matches.sage_record_number is not null as has_phone_match,
        {{ name_similarity(
            'customer_names.detail_value',
            "case when customer_keys.customer_type = 'b2b' then sage.company_name else sage.person_name end"
        ) }} as name_similarity
    from customer_keys
    inner join sage_keys
        on
            customer_keys.detail_type = sage_keys.detail_type
            and customer_keys.blocking_value = sage_keys.blocking_value
            and customer_keys.entity_id is not distinct from sage_keys.evaluated_entity_id
    left join phone_matches
        on
            customer_keys.customer_key = phone_matches.customer_key
            and customer_keys.entity_id is not distinct from phone_matches.entity_id
            and sage_keys.sage_record_number = phone_matches.sage_record_number
    inner join visible_sage_customers as sage
        on
            sage_keys.sage_record_number = sage.sage_record_number
            and customer_keys.entity_id is not distinct from sage.evaluated_entity_id
    left join details as customer_names
        on
            customer_keys.customer_key = customer_names.customer_key
            and customer_names.detail_type
            = case when customer_keys.customer_type = 'b2b' then 'company_name' else 'person_name' end
    where
        customer_keys.block_size <= {{ max_block_size }}
        and sage_keys.block_size <= {{ max_block_size }}
),

-- A row matched by phone is a candidate whatever its names, with the best similarity
-- over all the customer's names; other pairs count only from the threshold up.
candidates as (
    select
        customer_key,
        entity_id,
        sage_customer_id,
        has_phone_match,
        max(name_similarity) as name_similarity
    from scored_pairs
    where has_phone_match or name_similarity >= {{ threshold }}
    group by 1, 2, 3, 4
),

ranked_candidates as (
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

duplicates as (
    select
        customer_key,
        entity_id,
        sage_customer_id as suspected_sage_customer_id,
        name_similarity as suspected_name_similarity,
        case when has_phone_match then 'phone' else 'postcode_and_name' end as suspected_match_reason
    from ranked_candidates
    where candidate_rank = 1
),

-- 2. The name comparison: the same kind of name (person for DTC, company for B2B) as
-- an active visible row of the entity.
sage_names as (
    select
        evaluated_entity_id,
        'person_name' as name_kind,
        person_name as normalised_name
    from visible_sage_customers
    where status = 'active' and person_name is not null
    union
    select
        evaluated_entity_id,
        'company_name' as name_kind,
        company_name as normalised_name
    from visible_sage_customers
    where status = 'active' and company_name is not null
),

name_matches as (
    select distinct
        absent.customer_key,
        absent.entity_id
    from absent
    inner join details
        on
            absent.customer_key = details.customer_key
            and details.detail_type
            = case when absent.customer_type = 'b2b' then 'company_name' else 'person_name' end
    inner join sage_names
        on
            absent.entity_id is not distinct from sage_names.evaluated_entity_id
            and details.detail_type = sage_names.name_kind
            and details.detail_value = sage_names.normalised_name
),

-- 3. Present in another entity's master.
present_elsewhere as (
    select distinct
        absent.customer_key,
        absent.entity_id
    from absent
    inner join matched as other_entity
        on
            absent.customer_key = other_entity.customer_key
            and absent.entity_id is distinct from other_entity.entity_id
            and other_entity.is_present
),

-- 4. Sync status, and the facts together.
assessed as (
    select
        absent.entity_id,
        absent.customer_key,
        absent.customer_type,
        absent.customer_name,
        absent.email,
        absent.vat_number,
        absent.has_valid_vat_number,
        absent.account_ref,
        absent.storefronts,
        absent.is_unidentified,
        absent.orders_in_window,
        absent.order_value_in_window,
        absent.first_order_at_in_window,
        absent.first_order_at,
        duplicates.suspected_sage_customer_id,
        duplicates.suspected_match_reason,
        duplicates.suspected_name_similarity,
        absent.inactive_sage_customer_id,
        absent.inactive_matched_on,
        sync_state.sage_last_synced_at,
        absent.orders_posted_to_holding,
        duplicates.suspected_sage_customer_id is not null as is_suspected_duplicate,
        case
            when absent.first_order_at_in_window > sync_state.sage_last_synced_at then 'awaiting_sync'
            else 'missing'
        end as sync_status,
        name_matches.customer_key is not null as name_matches_sage,
        present_elsewhere.customer_key is not null as is_present_in_other_entity
    from absent
    cross join sync_state
    left join duplicates
        on
            absent.customer_key = duplicates.customer_key
            and absent.entity_id is not distinct from duplicates.entity_id
    left join name_matches
        on
            absent.customer_key = name_matches.customer_key
            and absent.entity_id is not distinct from name_matches.entity_id
    left join present_elsewhere
        on
            absent.customer_key = present_elsewhere.customer_key
            and absent.entity_id is not distinct from present_elsewhere.entity_id
),

-- 5. The cohort (first rule that applies) and the recommended action.
classified as (
    select
        *,
        {{ gap_cohort_rule() }} as cohort
    from assessed
),

final as (
    select
        *,
        {{ gap_cohort_action_code() }} as recommended_action_code,
        {{ gap_cohort_action() }} as recommended_action
    from classified
)

select * from final
