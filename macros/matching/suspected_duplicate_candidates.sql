{#
    The blocked fuzzy duplicate check. For each absent (customer, entity) in
    `absent_relation` (customer_key, entity_id, customer_type), candidate Sage rows are
    found only through equality joins on a blocking key: the same normalised phone,
    or the same normalised postcode. A postcode candidate needs a name similarity of
    at least `threshold` between the customer's names and the row's (person names for
    DTC, company names for B2B). Never an unblocked customer x master comparison.

    Blocks stay small at any scale: a null or placeholder key (a phone of one or two
    distinct digits such as 07000 000000, a postcode such as ZZ99 9ZZ or without both
    a letter and a digit) is not a blocking key, and neither is a key value held by
    more than `max_block_size` Sage rows of the entity or by more than
    `max_block_size` absent customers of the entity (a switchboard number, a bulk or
    head-office postcode). So the pairs compared are at most max_block_size per
    customer detail: the cost grows with the data, never with its square.
    Returns one row per (customer_key, entity_id, sage_customer_id) candidate with
    has_phone_match and the best name_similarity.
#}
{% macro suspected_duplicate_candidates(absent_relation, details_relation, visible_sage_relation, threshold, max_block_size=none) %}
    {%- set cap = (max_block_size if max_block_size is not none else var('fuzzy_max_block_size', 25)) | int -%}
    {%- if cap < 1 -%}
        {{ exceptions.raise_compiler_error("fuzzy_max_block_size must be a positive whole number, got " ~ max_block_size) }}
    {%- endif -%}
    {{- return(adapter.dispatch('suspected_duplicate_candidates', 'ecom_sage_gap')(absent_relation, details_relation, visible_sage_relation, threshold, cap)) -}}
{% endmacro %}

{#
    True when a normalised phone (digits with a leading `+`) is a placeholder: it has
    at most two distinct digits once its first three characters (`+` and the country
    code's first digits) are set aside, e.g. +440000000000, +447000000000.
#}
{% macro is_placeholder_phone(column) %}
    {{- return(adapter.dispatch('is_placeholder_phone', 'ecom_sage_gap')(column)) -}}
{% endmacro %}

{% macro default__is_placeholder_phone(column) -%}
    (
        {%- for digit in range(10) %}
        case when position('{{ digit }}' in substring({{ column }} from 4)) > 0 then 1 else 0 end
        {%- if not loop.last %} +{% endif %}
        {%- endfor %}
    ) <= 2
{%- endmacro %}

{% macro duckdb__is_placeholder_phone(column) -%}
    (length(list_distinct(string_split(substring({{ column }}, 4), ''))) <= 2)
{%- endmacro %}

{# A phone or postcode that can serve as a blocking key: present and not a placeholder. #}
{% macro is_usable_blocking_key(kind_column, value_column) -%}
    (
        {{ value_column }} is not null
        and case {{ kind_column }}
            when 'phone' then not {{ is_placeholder_phone(value_column) }}
            when 'postcode' then not {{ is_placeholder_postcode(value_column) }}
            else false
        end
    )
{%- endmacro %}

{#
    True when a normalised postcode (upper case, no spaces) cannot place anyone: it
    lacks a letter or a digit, or it is one of the stand-ins forms use for "unknown".
#}
{% macro is_placeholder_postcode(column) -%}
    (
        not ({{ column }} like '%0%' or {{ column }} like '%1%' or {{ column }} like '%2%'
            or {{ column }} like '%3%' or {{ column }} like '%4%' or {{ column }} like '%5%'
            or {{ column }} like '%6%' or {{ column }} like '%7%' or {{ column }} like '%8%'
            or {{ column }} like '%9%')
        or upper({{ column }}) = lower({{ column }})
        or {{ column }} in ('ZZ999ZZ', 'ZZ99ZZ', 'XX11XX', 'XX999XX', 'AA11AA', 'A11AA', 'X11XX')
    )
{%- endmacro %}

{% macro default__suspected_duplicate_candidates(absent_relation, details_relation, visible_sage_relation, threshold, max_block_size) %}
    with

    active_sage as (
        select
            evaluated_entity_id,
            sage_record_number,
            sage_customer_id,
            phone,
            cellphone,
            postcode
        from {{ visible_sage_relation }}
        where status = 'active'
    ),

    -- Blocking keys on both sides, one row per (entity or customer, kind, value):
    -- kind 'phone' (Sage phone and cellphone) or 'postcode'; null and placeholder
    -- values are not keys.
    sage_keys as (
        select distinct evaluated_entity_id, sage_record_number, sage_customer_id, detail_type, blocking_value
        from (
            select evaluated_entity_id, sage_record_number, sage_customer_id, 'phone' as detail_type,
                phone as blocking_value
            from active_sage
            union all
            select evaluated_entity_id, sage_record_number, sage_customer_id, 'phone' as detail_type,
                cellphone as blocking_value
            from active_sage
            union all
            select evaluated_entity_id, sage_record_number, sage_customer_id, 'postcode' as detail_type,
                postcode as blocking_value
            from active_sage
        ) as sage_values
        where {{ is_usable_blocking_key('detail_type', 'blocking_value') }}
    ),

    customer_keys as (
        select distinct
            absent.customer_key,
            absent.entity_id,
            absent.customer_type,
            details.detail_type,
            details.detail_value as blocking_value
        from {{ absent_relation }} as absent
        inner join {{ details_relation }} as details
            on absent.customer_key = details.customer_key
        where
            details.detail_type in ('phone', 'postcode')
            and {{ is_usable_blocking_key('details.detail_type', 'details.detail_value') }}
    ),

    -- Block sizes: a key value held by too many rows on either side is dropped. The
    -- rows above are distinct, so a count per value counts Sage rows / customers.
    blocked_sage_keys as (
        select *
        from (
            select
                *,
                count(*) over (partition by evaluated_entity_id, detail_type, blocking_value) as block_size
            from sage_keys
        ) as sized
        where block_size <= {{ max_block_size }}
    ),

    blocked_customer_keys as (
        select *
        from (
            select
                *,
                count(*) over (partition by entity_id, detail_type, blocking_value) as block_size
            from customer_keys
        ) as sized
        where block_size <= {{ max_block_size }}
    ),

    blocked_pairs as (
        select distinct
            customer_keys.customer_key,
            customer_keys.entity_id,
            customer_keys.customer_type,
            sage_keys.sage_record_number,
            sage_keys.sage_customer_id,
            customer_keys.detail_type = 'phone' as has_phone_match
        from blocked_customer_keys as customer_keys
        inner join blocked_sage_keys as sage_keys
            on
                customer_keys.detail_type = sage_keys.detail_type
                and customer_keys.blocking_value = sage_keys.blocking_value
                and customer_keys.entity_id is not distinct from sage_keys.evaluated_entity_id
    ),

    candidates as (
        select
            customer_key,
            entity_id,
            customer_type,
            sage_record_number,
            sage_customer_id,
            max(case when has_phone_match then 1 else 0 end) = 1 as has_phone_match
        from blocked_pairs
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
