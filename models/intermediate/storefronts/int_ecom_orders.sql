{#
    One row per storefront order with a creation time (an order without one cannot be
    placed in any window), every enabled storefront: whether its status lets it post
    (is_valid), the customer record it points at (Adobe Commerce: the company when the
    customer is linked to one; none for a guest), its store key, and the customer
    details it carries as text (email, VAT number, billing names, company, postcode,
    phone). Later models read orders from here only, never from the storefront tables
    again, so a scheduled run parses only the re-read range.

    Nothing here depends on gap_as_of or on the field map, so the model is
    incremental: a scheduled run re-reads the orders created after the cut-off (the
    latest stored order dated up to the run's start, minus
    `orders_incremental_lookback_days` days: default 35, the window plus four weeks, so
    a window order cancelled or removed since the last run is seen) and the stored
    orders dated after the run's start, and replaces every stored order of that range
    (strategy `replace_reread_orders`). Every row carries the fingerprint of the source
    it was read from; a run on another source rebuilds the table
    (macros/incremental/orders_incremental_state.sql).

    On Spark the model is a table rebuilt at every run: `replace_reread_orders` deletes
    rows, which Spark tables other than Delta cannot do.
#}
{{ config(
    materialized=('table' if is_spark_family() else 'incremental'),
    unique_key='order_key',
    incremental_strategy='replace_reread_orders',
    on_schema_change='fail'
) }}
{%- set storefronts = enabled_storefronts() %}

with

{% if 'shopify' in storefronts -%}
-- Shopify: deleted, test and cancelled orders never post; one store per connection,
-- no order VAT number.
shopify_orders as (
    select
        'shopify' as storefront,
        shopify_order_id as order_id,
        order_number,
        cast(null as {{ dbt.type_string() }}) as store_key,
        shopify_customer_id as customer_record_id,
        created_at,
        currency,
        order_total,
        not is_deleted and not is_test and cancelled_at is null as is_valid,
        email as email_raw,
        cast(null as {{ dbt.type_string() }}) as vat_number_text,
        billing_first_name as first_name,
        billing_last_name as last_name,
        billing_company as display_company_name,
        billing_postcode as postcode_raw,
        billing_phone as phone_raw
    from {{ ref('stg_shopify__orders') }}
),

{% endif -%}
{% if 'bigcommerce' in storefronts -%}
-- BigCommerce: status 0 incomplete, 5 cancelled, 6 declined never post; a guest
-- checkout is customer 0; the channel is the store key; no order VAT number.
bigcommerce_orders as (
    select
        'bigcommerce' as storefront,
        bigcommerce_order_id as order_id,
        order_number,
        channel_id as store_key,
        nullif(bigcommerce_customer_id, '0') as customer_record_id,
        created_at,
        currency,
        order_total,
        not is_deleted and coalesce(status_id not in (0, 5, 6), false) as is_valid,
        billing_email as email_raw,
        cast(null as {{ dbt.type_string() }}) as vat_number_text,
        billing_first_name as first_name,
        billing_last_name as last_name,
        billing_company as display_company_name,
        billing_postcode as postcode_raw,
        billing_phone as phone_raw
    from {{ ref('stg_bigcommerce__orders') }}
),

{% endif -%}
{% if 'adobe_commerce' in storefronts -%}
adobe_company_customers as (
    select * from {{ ref('stg_adobe_commerce__company_customers') }}
),

-- An Adobe Commerce order may hold several billing addresses; the lowest address id
-- is the one read.
adobe_billing_addresses as (
    select
        adobe_order_id,
        company,
        postcode,
        phone,
        email,
        vat_number,
        row_number() over (
            partition by adobe_order_id
            order by adobe_order_address_id
        ) as address_rank
    from {{ ref('stg_adobe_commerce__order_addresses') }}
    where address_type = 'billing'
),

-- Adobe Commerce: only a cancelled order never posts (an order without a state does);
-- a customer linked to a company orders on the company's behalf; the store is the
-- store key; the order's own email and VAT number, else its billing address's.
adobe_commerce_orders as (
    select
        'adobe_commerce' as storefront,
        orders.adobe_order_id as order_id,
        orders.order_number,
        orders.store_id as store_key,
        case
            when orders.is_guest then null
            when adobe_company_customers.adobe_company_id is not null
                then {{ adobe_company_record_id('adobe_company_customers.adobe_company_id') }}
            else orders.adobe_customer_id
        end as customer_record_id,
        orders.created_at,
        orders.currency,
        orders.order_total,
        coalesce(orders.order_state <> 'canceled', true) as is_valid,
        coalesce(orders.email, adobe_billing_addresses.email) as email_raw,
        coalesce(orders.vat_number, adobe_billing_addresses.vat_number) as vat_number_text,
        orders.first_name,
        orders.last_name,
        adobe_billing_addresses.company as display_company_name,
        adobe_billing_addresses.postcode as postcode_raw,
        adobe_billing_addresses.phone as phone_raw
    from {{ ref('stg_adobe_commerce__orders') }} as orders
    left join adobe_billing_addresses
        on
            orders.adobe_order_id = adobe_billing_addresses.adobe_order_id
            and adobe_billing_addresses.address_rank = 1
    left join adobe_company_customers
        on orders.adobe_customer_id = adobe_company_customers.adobe_customer_id
),

{% endif -%}
unioned as (
    {%- for storefront in storefronts %}
    select * from {{ storefront }}_orders
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

keyed as (
    select
        {{ dbt.concat(["storefront", "':'", "order_id"]) }} as order_key,
        *
    from unioned
),

final as (
    select
        order_key,
        storefront,
        order_id,
        order_number,
        store_key,
        customer_record_id,
        created_at,
        currency,
        order_total,
        is_valid,
        email_raw,
        vat_number_text,
        first_name,
        last_name,
        display_company_name,
        postcode_raw,
        phone_raw,
        -- Where the row was read from: a run on another source rebuilds the table.
        cast({{ orders_source_fingerprint() }} as bigint) as source_fingerprint
    from keyed
    where
        created_at is not null
        -- All orders on a full build or a rebuild; the re-read range on an incremental run.
        and {{ orders_incremental_filter('created_at', this) }}
)

select * from final
