{#
    The combination of `columns` is unique (nulls compare equal, so a single-entity
    company's null entity_id is still one value).
#}
{% test unique_combination(model, columns) %}

    select
        {% for column in columns %}{{ column }}{% if not loop.last %}, {% endif %}{% endfor %},
        count(*) as occurrences
    from {{ model }}
    group by {% for column in columns %}{{ column }}{% if not loop.last %}, {% endif %}{% endfor %}
    having count(*) > 1

{% endtest %}
