{#
    Every storefront order, all storefronts unioned, with all the columns the card
    reads: whether its status lets it post (is_valid), the storefront customer record
    it points at (Adobe Commerce: the company when the customer is linked to one) and
    the customer details it carries, as text. A view: int_ecom_orders stores the few
    columns every order needs, and the billing details of the few orders that need
    them (absent customers') are read from here by order_key.
#}
{{ config(materialized='view') }}
{%- set storefronts = enabled_storefronts() -%}

with

{% if 'shopify' in storefronts %}
shopify_orders as (
    select * from {{ ref('stg_shopify__orders') }}
),
{% endif %}

{% if 'bigcommerce' in storefronts %}
bigcommerce_orders as (
    select * from {{ ref('stg_bigcommerce__orders') }}
),
{% endif %}

{% if 'adobe_commerce' in storefronts %}
adobe_orders as (
    select * from {{ ref('stg_adobe_commerce__orders') }}
),

adobe_order_addresses as (
    select * from {{ ref('stg_adobe_commerce__order_addresses') }}
),

adobe_company_customers as (
    select * from {{ ref('stg_adobe_commerce__company_customers') }}
),
{% endif %}

{% if 'shopify' in storefronts %}
shopify_unified as (
    select
        'shopify' as storefront,
        shopify_order_id as order_id,
        order_number,
        cast(null as {{ dbt.type_string() }}) as store_key,
        shopify_customer_id as customer_record_id,
        created_at,
        currency,
        order_total,
        -- Shopify: deleted, test and cancelled orders never post.
        not is_deleted and not is_test and cancelled_at is null as is_valid_status,
        email,
        cast(null as {{ dbt.type_string() }}) as vat_number,
        billing_first_name as first_name,
        billing_last_name as last_name,
        billing_company as company,
        billing_postcode as postcode,
        billing_phone as phone
    from shopify_orders
),
{% endif %}

{% if 'bigcommerce' in storefronts %}
bigcommerce_unified as (
    select
        'bigcommerce' as storefront,
        bigcommerce_order_id as order_id,
        order_number,
        channel_id as store_key,
        -- BigCommerce writes guest checkouts as customer_id 0.
        nullif(bigcommerce_customer_id, '0') as customer_record_id,
        created_at,
        currency,
        order_total,
        -- Status 0 incomplete, 5 cancelled, 6 declined never post.
        not is_deleted and coalesce(status_id not in (0, 5, 6), false) as is_valid_status,
        billing_email as email,
        cast(null as {{ dbt.type_string() }}) as vat_number,
        billing_first_name as first_name,
        billing_last_name as last_name,
        billing_company as company,
        billing_postcode as postcode,
        billing_phone as phone
    from bigcommerce_orders
),
{% endif %}

{% if 'adobe_commerce' in storefronts %}
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
    from adobe_order_addresses
    where address_type = 'billing'
),

adobe_commerce_unified as (
    select
        'adobe_commerce' as storefront,
        adobe_orders.adobe_order_id as order_id,
        adobe_orders.order_number,
        adobe_orders.store_id as store_key,
        -- A customer linked to a company orders on the company's behalf.
        case
            when adobe_orders.is_guest then null
            when adobe_company_customers.adobe_company_id is not null
                then {{ adobe_company_record_id('adobe_company_customers.adobe_company_id') }}
            else adobe_orders.adobe_customer_id
        end as customer_record_id,
        adobe_orders.created_at,
        adobe_orders.currency,
        adobe_orders.order_total,
        coalesce(adobe_orders.order_state <> 'canceled', true) as is_valid_status,
        coalesce(adobe_orders.email, adobe_billing_addresses.email) as email,
        coalesce(adobe_orders.vat_number, adobe_billing_addresses.vat_number) as vat_number,
        adobe_orders.first_name,
        adobe_orders.last_name,
        adobe_billing_addresses.company,
        adobe_billing_addresses.postcode,
        adobe_billing_addresses.phone
    from adobe_orders
    left join adobe_billing_addresses
        on
            adobe_orders.adobe_order_id = adobe_billing_addresses.adobe_order_id
            and adobe_billing_addresses.address_rank = 1
    left join adobe_company_customers
        on adobe_orders.adobe_customer_id = adobe_company_customers.adobe_customer_id
),
{% endif %}

unioned as (
    {% for storefront in storefronts %}
    select * from {{ storefront }}_unified
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
    {% if storefronts | length == 0 %}
        {{ exceptions.raise_compiler_error("All storefronts are disabled (using_shopify, using_bigcommerce, using_adobe_commerce): nothing to evaluate.") }}
    {% endif %}
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
