{#
    The model has exactly `value` rows; fails with one row (observed, expected)
    otherwise. Same name and argument as the dbt_expectations test, so a project that
    can install that package may swap it in.
#}
{% test expect_table_row_count_to_equal(model, value) %}

    select
        observed,
        {{ value }} as expected
    from (select count(*) as observed from {{ model }}) as counted
    where observed != {{ value }}

{% endtest %}
