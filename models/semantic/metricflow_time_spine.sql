{#
    The day time spine MetricFlow needs: one row per day from 2020 to 2040, enough
    for any as_of the card is evaluated at. Small (7,671 rows) and built once a run.
    dbt's date_spine writes the days with each engine's own date arithmetic (its end is
    exclusive); the cast keeps them dates where adding days to a date gives a timestamp.
#}
with

days as (
    {{ dbt.date_spine('day', "cast('2020-01-01' as date)", "cast('2041-01-01' as date)") }}
),

final as (
    select cast(date_day as date) as date_day from days
)

select * from final
