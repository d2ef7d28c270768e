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
    Match-key precedence: for each id, the first key of its customer type's precedence
    list (the match_key_precedence seed, lowest priority first) that has a value.
    `keys_relation` is the output of unpivot_match_keys with a customer type column;
    ids without any key of their list are absent from the result (unidentified).
#}
{% macro resolve_match_key(keys_relation, precedence_relation, id_column, type_column) %}
    {{- return(adapter.dispatch('resolve_match_key', 'ecom_sage_gap')(keys_relation, precedence_relation, id_column, type_column)) -}}
{% endmacro %}

{% macro default__resolve_match_key(keys_relation, precedence_relation, id_column, type_column) %}
    select
        {{ id_column }},
        match_key,
        match_value,
        priority
    from (
        select
            keys.{{ id_column }},
            keys.match_key,
            keys.match_value,
            precedence.priority,
            row_number() over (
                partition by keys.{{ id_column }}
                order by precedence.priority, keys.match_value
            ) as precedence_rank
        from {{ keys_relation }} as keys
        inner join {{ precedence_relation }} as precedence
            on
                keys.{{ type_column }} = precedence.customer_type
                and keys.match_key = precedence.match_key
    ) as ranked
    where precedence_rank = 1
{% endmacro %}
