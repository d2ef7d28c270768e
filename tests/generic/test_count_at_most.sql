{#
    Alert test: fails with one row per offending entity when `column_name` is above
    `threshold`. The row says what fired in words (`message`: "B2B absent 7 >
    threshold 0 in UK01"), so the scheduled run and the card can print it as is.
    The card's alerts use it with thresholds from vars and the `alert` tag, run as
    the final gate after the marts are built. Text is `dbt.type_string()`: Spark has
    no plain varchar.
#}
{% test count_at_most(model, column_name, threshold, label=none) %}

    select
        entity_id,
        {{ column_name }} as observed,
        {{ threshold }} as threshold,
        '{{ (label or column_name) | replace("'", "''") }}'
        || ' ' || cast({{ column_name }} as {{ dbt.type_string() }})
        || ' > threshold ' || cast({{ threshold }} as {{ dbt.type_string() }})
        || ' in ' || coalesce(entity_id, 'the single entity') as message
    from {{ model }}
    where {{ column_name }} > {{ threshold }}

{% endtest %}
