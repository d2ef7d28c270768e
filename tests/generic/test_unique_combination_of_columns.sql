{#
    The combination of `combination_of_columns` is unique; fails with one row per
    repeated combination. Nulls compare equal (group by), so a single-entity company's
    null entity_id is still one value. Named and parameterised like dbt_utils'
    test of the same name, so a project that installs dbt_utils swaps it by writing
    `dbt_utils.unique_combination_of_columns` (see packages.yml.example).
#}
{% test unique_combination_of_columns(model, combination_of_columns) %}

    select
        {% for column in combination_of_columns %}{{ column }}{% if not loop.last %}, {% endif %}{% endfor %},
        count(*) as occurrences
    from {{ model }}
    group by {% for column in combination_of_columns %}{{ column }}{% if not loop.last %}, {% endif %}{% endfor %}
    having count(*) > 1

{% endtest %}

{#
    The former name, kept so YAML written with it (`unique_combination` with
    `columns`) still runs; new tests use unique_combination_of_columns.
#}
{% test unique_combination(model, columns) %}
    {{ test_unique_combination_of_columns(model, columns) }}
{% endtest %}
