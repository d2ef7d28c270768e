{#
    Alert test: fails (one row per offending entity) when `column_name` is above
    `threshold`. The card's alerts use it with thresholds from vars and the `alert`
    tag, run as the final gate after the marts are built.
#}
{% test count_at_most(model, column_name, threshold) %}

    select
        entity_id,
        {{ column_name }} as observed,
        {{ threshold }} as threshold
    from {{ model }}
    where {{ column_name }} > {{ threshold }}

{% endtest %}
