{#
    The fuzzy duplicate check's blocking keys (docs/definition/suspected-duplicates.md).
    Candidate Sage rows for an absent customer are found only through equality joins on
    a blocking key, the same normalised phone or the same normalised postcode, never by
    comparing every customer with every row. A null or placeholder value is not a key;
    a real value held by more than fuzzy_max_block_size Sage rows (or absent customers)
    of an entity is a safety valve, not a rule: the default (1000) lies above what real
    data reaches, and the warn test fuzzy_blocks_over_cap lists every capped key. The
    check (int_ecom_absent_customers_classified) and that test share these steps.
#}

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
    its block: how many absent customers of the entity (customer_blocking_keys) or Sage
    rows of the entity (sage_blocking_keys) hold the value. Null and placeholder values
    are not keys. The Sage side is read only for the values some absent customer holds
    (`customer_keys_relation`, customer_blocking_keys output): a Sage value no absent
    customer holds can pair no one, so its block is neither built nor counted. Shared by
    the check and the report of capped blocks.
#}
{% macro sage_blocking_keys(visible_sage_relation, customer_keys_relation) %}
    select
        *,
        count(*) over (partition by evaluated_entity_id, detail_type, blocking_value) as block_size
    from (
        select distinct
            sage_values.evaluated_entity_id,
            sage_values.sage_record_number,
            sage_values.sage_customer_id,
            sage_values.detail_type,
            sage_values.blocking_value
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
        inner join (
            select distinct entity_id, detail_type, blocking_value
            from {{ customer_keys_relation }}
        ) as held_values
            on
                sage_values.evaluated_entity_id is not distinct from held_values.entity_id
                and sage_values.detail_type = held_values.detail_type
                and sage_values.blocking_value = held_values.blocking_value
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
