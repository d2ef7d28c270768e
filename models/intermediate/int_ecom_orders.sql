{#
    One row per storefront order that exists at gap_as_of (created_at <= gap_as_of),
    all storefronts unioned, with the Sage entity it posts to, whether it is a valid
    order, whether it falls in the window, and its normalised customer details.
    `customer_record_id` is the storefront customer record the order points at
    (Adobe Commerce: the company when the customer is linked to one); whether that
    record exists and is not deleted is decided downstream, where guests are formed.
#}
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

storefront_map as (
    select * from {{ ref('int_storefront_entities') }}
),

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

assigned as (
    select
        unioned.*,
        {{ dbt.concat(["unioned.storefront", "':'", "unioned.order_id"]) }} as order_key,
        -- Exact store_key row first, then the storefront's `*` row.
        case
            when exact_store.storefront is not null then exact_store.entity_id
            else any_store.entity_id
        end as entity_id,
        coalesce(exact_store.storefront, any_store.storefront) is not null as is_store_mapped
    from unioned
    left join storefront_map as exact_store
        on
            unioned.storefront = exact_store.storefront
            and unioned.store_key = exact_store.store_key
    left join storefront_map as any_store
        on
            unioned.storefront = any_store.storefront
            and any_store.store_key = '*'
),

final as (
    select
        order_key,
        storefront,
        order_id,
        order_number,
        {{ normalise_order_number('order_number') }} as order_number_normalised,
        store_key,
        entity_id,
        is_store_mapped,
        customer_record_id,
        created_at,
        currency,
        order_total,
        is_valid_status as is_valid,
        is_valid_status and {{ is_in_gap_window('created_at') }} as is_in_window,
        email as email_raw,
        nullif(trim({{ full_name('first_name', 'last_name') }}), '')
            as display_person_name,
        company as display_company_name,
        {{ normalise_email('email') }} as email,
        {{ vat_number_as_keyed('vat_number') }} as vat_number_raw,
        {{ normalise_vat_number('vat_number') }} as vat_number,
        {{ normalise_person_name(full_name('first_name', 'last_name')) }}
            as person_name,
        {{ normalise_company_name('company') }} as company_name,
        {{ normalise_postcode('postcode') }} as postcode,
        {{ normalise_phone('phone') }} as phone
    from assigned
    -- An order created after gap_as_of does not exist for this evaluation, and an
    -- order without a creation time cannot be placed in any window.
    where created_at is not null and created_at <= {{ gap_as_of() }}
)

select * from final
