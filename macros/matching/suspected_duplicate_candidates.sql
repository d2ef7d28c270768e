{#
    The blocked fuzzy duplicate check. For each absent (customer, entity) in
    `absent_relation` (customer_key, entity_id, customer_type), candidate Sage rows are
    found only through equality joins on a blocking key: the same normalised phone,
    or the same normalised postcode. A postcode candidate needs a name similarity of
    at least `threshold` between the customer's names and the row's (person names for
    DTC, company names for B2B). Never an unblocked customer x master comparison.

    A null or placeholder value is not a blocking key (see is_placeholder_phone and
    is_placeholder_postcode). A real key value held by more than `max_block_size` Sage
    rows of the entity, or by more than `max_block_size` absent customers of the entity,
    is a safety valve, not a rule: the default (var fuzzy_max_block_size, 1000) lies
    above what real data reaches, and every key it caps is listed by
    fuzzy_blocks_over_cap (model int_fuzzy_blocking_keys_over_cap, warn test). So the
    pairs compared are at most max_block_size per customer detail: the cost grows with
    the data, never with its square.
    `sage_keys_relation` holds the Sage side's blocking keys (sage_blocking_keys, built
    once as int_sage_blocking_keys and shared with the report of capped blocks).
    Returns one row per (customer_key, entity_id, sage_customer_id) candidate with
    has_phone_match and the best name_similarity.
#}
{% macro suspected_duplicate_candidates(absent_relation, details_relation, visible_sage_relation, sage_keys_relation, threshold, max_block_size=none) %}
    {%- set cap = fuzzy_block_cap(max_block_size) -%}
    {{- return(adapter.dispatch('suspected_duplicate_candidates', 'ecom_sage_gap')(absent_relation, details_relation, visible_sage_relation, sage_keys_relation, threshold, cap)) -}}
{% endmacro %}

{# The block cap as a whole number >= 1: the argument, else var fuzzy_max_block_size (1000). #}
{% macro fuzzy_block_cap(max_block_size=none) -%}
    {%- set value = max_block_size if max_block_size is not none else var('fuzzy_max_block_size', 1000) -%}
    {%- set text = value | string | trim -%}
    {%- if not text.isdigit() or text | int < 1 -%}
        {{ exceptions.raise_compiler_error("fuzzy_max_block_size must be a positive whole number, got " ~ value) }}
    {%- endif -%}
    {{- return(text | int) -}}
{%- endmacro %}

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

{# Spark: DuckDB's count of distinct characters after the first three. #}
{% macro spark__is_placeholder_phone(column) -%}
    (size(array_distinct(split(substring({{ column }}, 4), ''))) <= 2)
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
    True when a normalised postcode (upper case, no whitespace) cannot place anyone:
    it has no digit other than 0 (no digit at all, such as N/A or UNKNOWN, or only
    zeros, such as 00000), or it is one of the stand-ins listed in var
    fuzzy_placeholder_postcodes (default ZZ99 9ZZ and the like, written normalised).
    Anything else is a real postcode, all-digit ones (US ZIP codes, most of Europe)
    included.
#}
{% macro is_placeholder_postcode(column) -%}
    {%- set stand_ins = list_var('fuzzy_placeholder_postcodes', []) -%}
    (
        not (
            {%- for digit in range(1, 10) %}
            {{ column }} like '%{{ digit }}%'{% if not loop.last %} or{% endif %}
            {%- endfor %}
        )
        {%- if stand_ins | length > 0 %}
        or {{ column }} in (
            {%- for stand_in in stand_ins -%}
            '{{ (stand_in | string | upper).replace(' ', '').replace("'", "''") }}'{% if not loop.last %}, {% endif %}
            {%- endfor -%}
        )
        {%- endif %}
    )
{%- endmacro %}

{#
    Blocking keys of the fuzzy check, one row per (holder, kind, value) with the size of
    its block: how many Sage rows of the entity (sage_blocking_keys) or absent customers
    of the entity (customer_blocking_keys) hold the value. Null and placeholder values
    are not keys. Shared by the check and the report of capped blocks.
#}
{% macro sage_blocking_keys(visible_sage_relation) %}
    select
        *,
        count(*) over (partition by evaluated_entity_id, detail_type, blocking_value) as block_size
    from (
        select distinct evaluated_entity_id, sage_record_number, sage_customer_id, detail_type, blocking_value
        from (
            select evaluated_entity_id, sage_record_number, sage_customer_id, 'phone' as detail_type,
                phone as blocking_value
            from {{ visible_sage_relation }}
            where status = 'active'
            union all
            select evaluated_entity_id, sage_record_number, sage_customer_id, 'phone' as detail_type,
                cellphone as blocking_value
            from {{ visible_sage_relation }}
            where status = 'active'
            union all
            select evaluated_entity_id, sage_record_number, sage_customer_id, 'postcode' as detail_type,
                postcode as blocking_value
            from {{ visible_sage_relation }}
            where status = 'active'
        ) as sage_values
        where {{ is_usable_blocking_key('detail_type', 'blocking_value') }}
    ) as sage_keys
{% endmacro %}

{% macro customer_blocking_keys(absent_relation, details_relation) %}
    select
        *,
        count(*) over (partition by entity_id, detail_type, blocking_value) as block_size
    from (
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
    ) as customer_keys
{% endmacro %}

{#
    One row per (side, entity_id, detail_type, blocking_value) whose block is larger
    than the cap, with its size: the keys the fuzzy check did not use. Same inputs as
    suspected_duplicate_candidates (the Sage side as sage_blocking_keys output).
#}
{% macro fuzzy_blocks_over_cap(absent_relation, details_relation, sage_keys_relation, max_block_size=none) %}
    {%- set cap = fuzzy_block_cap(max_block_size) -%}
    select distinct
        'sage' as block_side,
        evaluated_entity_id as entity_id,
        detail_type,
        blocking_value,
        block_size,
        {{ cap }} as max_block_size
    from {{ sage_keys_relation }} as sage_keys
    where block_size > {{ cap }}
    union all
    select distinct
        'customer' as block_side,
        entity_id,
        detail_type,
        blocking_value,
        block_size,
        {{ cap }} as max_block_size
    from ({{ customer_blocking_keys(absent_relation, details_relation) }}) as customer_keys
    where block_size > {{ cap }}
{% endmacro %}

{#
    The (customer detail, Sage row) pairs that share a blocking key within an entity,
    one row per shared key (not deduplicated), optionally of one kind only. Written as
    a subquery over the relations themselves, so each use is its own streaming join
    (a CTE read twice would be materialised).
#}
{% macro blocked_pairs(absent_relation, details_relation, sage_keys_relation, max_block_size, detail_type=none) %}
    select
        customer_keys.customer_key,
        customer_keys.entity_id,
        customer_keys.customer_type,
        sage_keys.sage_record_number,
        sage_keys.sage_customer_id
    from ({{ customer_blocking_keys(absent_relation, details_relation) }}) as customer_keys
    inner join {{ sage_keys_relation }} as sage_keys
        on
            customer_keys.detail_type = sage_keys.detail_type
            and customer_keys.blocking_value = sage_keys.blocking_value
            and customer_keys.entity_id is not distinct from sage_keys.evaluated_entity_id
    where
        customer_keys.block_size <= {{ max_block_size }}
        and sage_keys.block_size <= {{ max_block_size }}
        {%- if detail_type is not none %}
        and customer_keys.detail_type = '{{ detail_type }}'
        {%- endif %}
{% endmacro %}

{% macro default__suspected_duplicate_candidates(absent_relation, details_relation, visible_sage_relation, sage_keys_relation, threshold, max_block_size) %}
    with

    -- Blocking keys on both sides carry their block size: kind 'phone' (Sage phone and
    -- cellphone) or 'postcode'. A value held by more rows than the cap is left out (and
    -- reported by fuzzy_blocks_over_cap).
    -- The Sage rows that share a phone with the customer: few, so deduplicated here.
    phone_matches as (
        select distinct
            customer_key,
            entity_id,
            sage_record_number
        from ({{ blocked_pairs(absent_relation, details_relation, sage_keys_relation, max_block_size, 'phone') }}) as pairs
    ),

    -- Every pair, scored as it leaves the join (names are compared only within a pair)
    -- and kept when it is a phone match or its names are similar enough: only the
    -- survivors are grouped, so memory follows the suspected duplicates, not the pairs
    -- (a postcode shared by hundreds of Sage rows makes many pairs: 77M at R10).
    scored_pairs as (
        select
            pairs.customer_key,
            pairs.entity_id,
            pairs.sage_customer_id,
            phone_matches.sage_record_number is not null as has_phone_match,
            {{ name_similarity(
                'customer_names.detail_value',
                "case when pairs.customer_type = 'b2b' then sage.company_name else sage.person_name end"
            ) }} as name_similarity
        from ({{ blocked_pairs(absent_relation, details_relation, sage_keys_relation, max_block_size) }}) as pairs
        left join phone_matches
            on
                pairs.customer_key = phone_matches.customer_key
                and pairs.entity_id is not distinct from phone_matches.entity_id
                and pairs.sage_record_number = phone_matches.sage_record_number
        inner join {{ visible_sage_relation }} as sage
            on
                pairs.sage_record_number = sage.sage_record_number
                and pairs.entity_id is not distinct from sage.evaluated_entity_id
        left join {{ details_relation }} as customer_names
            on
                pairs.customer_key = customer_names.customer_key
                and customer_names.detail_type
                = case when pairs.customer_type = 'b2b' then 'company_name' else 'person_name' end
    ),

    -- A Sage row matched by phone is a candidate whatever its names; the best
    -- similarity over all the customer's names is kept for it. Other pairs count only
    -- from the threshold up, so their group's best is the best overall.
    kept_pairs as (
        select *
        from scored_pairs
        where has_phone_match or name_similarity >= {{ threshold }}
    )

    select
        customer_key,
        entity_id,
        sage_customer_id,
        has_phone_match,
        max(name_similarity) as name_similarity
    from kept_pairs
    group by 1, 2, 3, 4
{% endmacro %}
