{#
    Every storefront order, all storefronts unioned, with all the columns the card
    reads: whether its status lets it post (is_valid), the storefront customer record
    it points at (Adobe Commerce: the company when the customer is linked to one) and
    the customer details it carries, as text. A view, read once per run by
    int_ecom_orders, which stores what later models read.

    A thin union: each storefront's rules live in its folder (int_<storefront>__orders);
    here the orders are keyed and named alike.
#}
{{ config(materialized='view') }}

with

unioned as (
    {{ union_storefront_models('orders') }}
),

final as (
    select
        {{ dbt.concat(["storefront", "':'", "order_id"]) }} as order_key,
        storefront,
        order_id,
        order_number,
        store_key,
        customer_record_id,
        created_at,
        currency,
        order_total,
        is_valid_status as is_valid,
        email as email_raw,
        vat_number as vat_number_text,
        nullif(trim({{ full_name('first_name', 'last_name') }}), '')
            as display_person_name,
        company as display_company_name,
        first_name,
        last_name,
        postcode as postcode_raw,
        phone as phone_raw
    from unioned
)

select * from final
