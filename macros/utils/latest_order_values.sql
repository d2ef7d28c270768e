{#
    One row per group of `relation` (the `group_by` columns) with the `value_columns`
    of its most recent row: latest created_at, ties broken by the highest numeric
    order id, then the highest order id as text. `where` filters the rows first.
    The portable version ranks rows with a window (`nulls last` written out:
    PostgreSQL puts nulls first in a descending order, DuckDB last); DuckDB takes the
    maximum of a struct in one hash aggregate, which avoids sorting millions of orders.
#}
{% macro latest_order_values(relation, group_by, value_columns, where='true') %}
    {{- return(adapter.dispatch('latest_order_values', 'ecom_sage_gap')(relation, group_by, value_columns, where)) -}}
{% endmacro %}

{% macro default__latest_order_values(relation, group_by, value_columns, where) %}
    select
        {{ (group_by + value_columns) | join(', ') }}
    from (
        select
            {{ (group_by + value_columns) | join(', ') }},
            row_number() over (
                partition by {{ group_by | join(', ') }}
                order by
                    created_at desc nulls last,
                    {{ order_id_sort_key('order_id') }} desc nulls last,
                    order_id desc nulls last
            ) as recency_rank
        from {{ relation }}
        where {{ where }}
    ) as ranked
    where recency_rank = 1
{% endmacro %}

{#
    Struct fields compare in order; a null numeric id sorts below every number, as
    `desc nulls last` ranks it after them in the portable version.
#}
{% macro duckdb__latest_order_values(relation, group_by, value_columns, where) %}
    select
        {{ group_by | join(', ') }},
        {%- for column in value_columns %}
        latest.{{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    from (
        select
            {{ group_by | join(', ') }},
            max({
                'created_at': created_at,
                'order_id_number': coalesce({{ order_id_sort_key('order_id') }}, cast('-170141183460469231731687303715884105727' as hugeint)),
                'order_id': order_id,
                {%- for column in value_columns %}
                '{{ column }}': {{ column }}{{ ',' if not loop.last }}
                {%- endfor %}
            }) as latest
        from {{ relation }}
        where {{ where }}
        group by {{ group_by | join(', ') }}
    ) as grouped
{% endmacro %}
