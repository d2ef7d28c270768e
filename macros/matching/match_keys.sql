{# The match keys the field map may name, in the column names used throughout. #}
{% macro match_keys() %}
    {{- return(['vat_number', 'account_ref', 'email']) -}}
{% endmacro %}

{#
    Long form of a relation's key columns: one row per (id, match_key, match_value)
    for every key that has a value. `relation` is a CTE or relation holding the
    columns named by match_keys(); `extra_columns` are carried along unchanged.
#}
{% macro unpivot_match_keys(relation, id_column, extra_columns=[]) %}
    {%- for key in match_keys() %}
    select
        {{ id_column }},
        {%- for column in extra_columns %}
        {{ column }},
        {%- endfor %}
        '{{ key }}' as match_key,
        {{ key }} as match_value
    from {{ relation }}
    where {{ key }} is not null
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
{% endmacro %}

{#
    Match-key precedence, the one place it is applied. The match_key_precedence field
    map (stg_field_map__match_key_precedence: customer_type, match_key, priority; 1 is tried
    first) orders the keys per customer type; a key not on a type's list is never used
    for it.

    match_key_priority(keys_relation, precedence_relation, type_column): the rows of
    `keys_relation` (match_key, match_value, a customer type column and anything
    else) whose key is on their type's list, with that key's priority.

    first_by_precedence(relation, partition_by, tie_breaker): per partition, the row of
    `relation` (which has a priority column) with the lowest priority, ties broken by
    `tie_breaker` (an order-by list); one row per partition, carrying a
    precedence_rank column (always 1) the caller leaves out.

#}
{% macro match_key_priority(keys_relation, precedence_relation, type_column) %}
    select
        keys.*,
        precedence.priority
    from {{ keys_relation }} as keys
    inner join {{ precedence_relation }} as precedence
        on
            keys.{{ type_column }} = precedence.customer_type
            and keys.match_key = precedence.match_key
{% endmacro %}

{% macro first_by_precedence(relation, partition_by, tie_breaker) %}
    select *
    from (
        select
            *,
            row_number() over (
                partition by {{ partition_by | join(', ') }}
                order by priority, {{ tie_breaker | join(', ') }}
            ) as precedence_rank
        from {{ relation }}
    ) as ranked
    where precedence_rank = 1
{% endmacro %}
