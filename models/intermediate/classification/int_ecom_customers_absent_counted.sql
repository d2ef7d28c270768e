{#
    One row per absent (customer_key, entity_id) the card counts: the classified
    absent customers within gap_scope (all, or b2b only). The one place the scope
    filter is applied; every mart that counts reads this.
#}
with

classified as (
    select * from {{ ref('int_ecom_customers_absent_classified') }}
),

final as (
    select * from classified
    {% if gap_scope() == 'b2b' %}
        where customer_type = 'b2b'
    {% endif %}
)

select * from final
