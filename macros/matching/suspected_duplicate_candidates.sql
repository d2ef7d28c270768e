{#
    The blocked fuzzy duplicate check. For each absent (customer, entity) in
    `absent_relation` (customer_key, entity_id, customer_type), candidate Sage rows are
    found only through equality joins on a blocking key: the same normalised phone,
    or the same normalised postcode. A postcode candidate needs a name similarity of
    at least `threshold` between the customer's names and the row's (person names for
    DTC, company names for B2B). Never an unblocked customer x master comparison.
    Returns one row per (customer_key, entity_id, sage_customer_id) candidate with
    has_phone_match and the best name_similarity.
#}
{% macro suspected_duplicate_candidates(absent_relation, details_relation, visible_sage_relation, threshold) %}
    {{- return(adapter.dispatch('suspected_duplicate_candidates', 'ecom_sage_gap')(absent_relation, details_relation, visible_sage_relation, threshold)) -}}
{% endmacro %}

{% macro default__suspected_duplicate_candidates(absent_relation, details_relation, visible_sage_relation, threshold) %}
    with

    sage_phones as (
        select evaluated_entity_id, sage_record_number, sage_customer_id, phone
        from {{ visible_sage_relation }}
        where status = 'active' and phone is not null
        union
        select evaluated_entity_id, sage_record_number, sage_customer_id, cellphone as phone
        from {{ visible_sage_relation }}
        where status = 'active' and cellphone is not null
    ),

    phone_candidates as (
        select distinct
            absent.customer_key,
            absent.entity_id,
            absent.customer_type,
            sage_phones.sage_record_number,
            sage_phones.sage_customer_id,
            true as has_phone_match
        from {{ absent_relation }} as absent
        inner join {{ details_relation }} as details
            on
                absent.customer_key = details.customer_key
                and details.detail_type = 'phone'
        inner join sage_phones
            on
                details.detail_value = sage_phones.phone
                and absent.entity_id is not distinct from sage_phones.evaluated_entity_id
    ),

    postcode_candidates as (
        select distinct
            absent.customer_key,
            absent.entity_id,
            absent.customer_type,
            sage.sage_record_number,
            sage.sage_customer_id,
            false as has_phone_match
        from {{ absent_relation }} as absent
        inner join {{ details_relation }} as details
            on
                absent.customer_key = details.customer_key
                and details.detail_type = 'postcode'
        inner join {{ visible_sage_relation }} as sage
            on
                details.detail_value = sage.postcode
                and absent.entity_id is not distinct from sage.evaluated_entity_id
        where sage.status = 'active'
    ),

    candidates as (
        select
            customer_key,
            entity_id,
            customer_type,
            sage_record_number,
            sage_customer_id,
            max(case when has_phone_match then 1 else 0 end) = 1 as has_phone_match
        from (
            select * from phone_candidates
            union all
            select * from postcode_candidates
        ) as blocked
        group by 1, 2, 3, 4, 5
    ),

    -- Names are compared only within a candidate pair found above.
    scored as (
        select
            candidates.customer_key,
            candidates.entity_id,
            candidates.sage_customer_id,
            candidates.has_phone_match,
            max(
                {{ name_similarity(
                    'customer_names.detail_value',
                    "case when candidates.customer_type = 'b2b' then sage.company_name else sage.person_name end"
                ) }}
            ) as name_similarity
        from candidates
        inner join {{ visible_sage_relation }} as sage
            on
                candidates.sage_record_number = sage.sage_record_number
                and candidates.entity_id is not distinct from sage.evaluated_entity_id
        left join {{ details_relation }} as customer_names
            on
                candidates.customer_key = customer_names.customer_key
                and customer_names.detail_type
                = case when candidates.customer_type = 'b2b' then 'company_name' else 'person_name' end
        group by 1, 2, 3, 4
    )

    select *
    from scored
    where has_phone_match or name_similarity >= {{ threshold }}
{% endmacro %}
