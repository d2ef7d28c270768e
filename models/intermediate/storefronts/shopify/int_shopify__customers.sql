{#
    One row per live (not deleted) Shopify customer, in the common columns of
    int_ecom_customer_members before their normalisation: b2b by tag, else the
    storefront's default type; VAT number and Sage account ref from metafields; the
    company from the customer's addresses. Key values as the storefront holds them.
#}
{{ config(materialized='view') }}
{%- set b2b_tags = list_var('shopify_b2b_tags', ['b2b', 'wholesale']) -%}
{%- set shopify_b2b_tag_list = sql_string_list(b2b_tags) -%}
{%- set vat_metafield = metafield_var('shopify_vat_number_metafield', {'namespace': 'custom', 'key': 'vat_number'}) -%}
{%- set ref_metafield = metafield_var(
    'shopify_account_ref_metafield', {'namespace': 'custom', 'key': 'sage_customer_id'}
) -%}

with

customers as (
    select * from {{ ref('stg_shopify__customers') }}
),

tags as (
    select * from {{ ref('stg_shopify__customer_tags') }}
),

metafields as (
    select * from {{ ref('stg_shopify__metafields') }}
),

addresses as (
    select * from {{ ref('stg_shopify__customer_addresses') }}
),

storefront_map as (
    select * from {{ ref('stg_field_map__storefronts') }}
),

-- The storefront's `*` row of the field map sets the type of an untagged customer;
-- without one, Shopify customers are dtc.
default_type as (
    select max(default_customer_type) as default_customer_type
    from storefront_map
    where storefront = 'shopify' and store_key = '*'
),

-- The company a Shopify customer buys for lives on its addresses: the default one
-- first, then the lowest address id.
address_companies as (
    select
        shopify_customer_id,
        company
    from (
        select
            shopify_customer_id,
            company,
            row_number() over (
                partition by shopify_customer_id
                order by case when is_default then 0 else 1 end, shopify_customer_address_id
            ) as company_rank
        from addresses
        where company is not null
    ) as ranked
    where company_rank = 1
),

b2b_customers as (
    select distinct shopify_customer_id
    from tags
    where lower(tag) in ({{ shopify_b2b_tag_list }})
),

key_metafields as (
    select
        owner_id as shopify_customer_id,
        max(case
            when
                lower(metafield_namespace) = {{ sql_string_literal(vat_metafield.namespace | lower) }}
                and lower(metafield_key) = {{ sql_string_literal(vat_metafield.key | lower) }}
                then metafield_value
        end) as vat_number,
        max(case
            when
                lower(metafield_namespace) = {{ sql_string_literal(ref_metafield.namespace | lower) }}
                and lower(metafield_key) = {{ sql_string_literal(ref_metafield.key | lower) }}
                then metafield_value
        end) as account_ref
    from metafields
    where owner_resource = 'customer'
    group by 1
),

final as (
    select
        'shopify' as storefront,
        customers.shopify_customer_id as customer_record_id,
        case
            when b2b_customers.shopify_customer_id is not null then 'b2b'
            else coalesce(default_type.default_customer_type, 'dtc')
        end as customer_type,
        customers.email,
        key_metafields.vat_number,
        key_metafields.account_ref,
        customers.first_name,
        customers.last_name,
        address_companies.company,
        cast(null as {{ dbt.type_string() }}) as trading_company,
        customers.phone,
        cast(null as {{ dbt.type_string() }}) as postcode,
        customers.created_at
    from customers
    left join b2b_customers
        on customers.shopify_customer_id = b2b_customers.shopify_customer_id
    left join key_metafields
        on customers.shopify_customer_id = key_metafields.shopify_customer_id
    left join address_companies
        on customers.shopify_customer_id = address_companies.shopify_customer_id
    cross join default_type
    where not customers.is_deleted
)

select * from final
