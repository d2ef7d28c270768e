{#
    The day time spine MetricFlow needs: one row per day from 2020 to 2040, enough
    for any as_of the card is evaluated at. Small (7,671 rows) and built once a run.
    Spark has no `range` table function over dates: the same days come from `sequence`
    (its end is inclusive).
#}
with

days as (
    {%- if target.type == 'spark' %}
    select explode(sequence(date '2020-01-01', date '2040-12-31', interval 1 day)) as date_day
    {%- else %}
    select cast(range as date) as date_day
    from range(date '2020-01-01', date '2041-01-01', interval 1 day)
    {%- endif %}
),

final as (
    select date_day from days
)

select * from final
