{#
    One row per live storefront customer record: Shopify and BigCommerce customers
    that are not deleted, Adobe Commerce customers not linked to a company, and Adobe
    Commerce companies (a linked customer orders on its company's behalf, so the
    company is the ecommerce customer). Key values are the record's own, normalised;
    the fallback to the most recent order happens in int_ecom_customer_members.
#}
{%- set storefronts = enabled_storefronts() -%}
{%- set b2b_tags = list_var('shopify_b2b_tags', ['b2b', 'wholesale']) -%}
{%- set shopify_b2b_tag_list = sql_string_list(b2b_tags) -%}
{%- set vat_metafield = metafield_var('shopify_vat_number_metafield', {'namespace': 'custom', 'key': 'vat_number'}) -%}
{%- set ref_metafield = metafield_var(
    'shopify_account_ref_metafield', {'namespace': 'custom', 'key': 'sage_customer_id'}
) -%}

with

storefront_map as (
    select * from {{ ref('int_storefront_entities') }}
),

{% if 'shopify' in storefronts %}
shopify_customers as (
    select * from {{ ref('stg_shopify__customers') }}
),

shopify_tags as (
    select * from {{ ref('stg_shopify__customer_tags') }}
),

shopify_metafields as (
    select * from {{ ref('stg_shopify__metafields') }}
),

shopify_addresses as (
    select * from {{ ref('stg_shopify__customer_addresses') }}
),
{% endif %}

{% if 'bigcommerce' in storefronts %}
bigcommerce_customers as (
    select * from {{ ref('stg_bigcommerce__customers') }}
),

bigcommerce_attributes as (
    select * from {{ ref('stg_bigcommerce__customer_attributes') }}
),

bigcommerce_attribute_values as (
    select * from {{ ref('stg_bigcommerce__customer_attribute_values') }}
),
{% endif %}

{% if 'adobe_commerce' in storefronts %}
adobe_customers as (
    select * from {{ ref('stg_adobe_commerce__customers') }}
),

adobe_companies as (
    select * from {{ ref('stg_adobe_commerce__companies') }}
),

adobe_company_customers as (
    select * from {{ ref('stg_adobe_commerce__company_customers') }}
),
{% endif %}

-- A record's type starts from its storefront's `*` row of the field map, else the
-- built-in default (Shopify dtc, BigCommerce b2b, Adobe Commerce dtc).
storefront_default_types as (
    select
        storefront,
        max(default_customer_type) as default_customer_type
    from storefront_map
    where store_key = '*'
    group by 1
),

{% if 'shopify' in storefronts %}
-- The company a Shopify customer buys for lives on its addresses: the default one
-- first, then the lowest address id.
shopify_address_companies as (
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
        from shopify_addresses
        where company is not null
    ) as ranked
    where company_rank = 1
),

shopify_b2b_customers as (
    select distinct shopify_customer_id
    from shopify_tags
    where lower(tag) in ({{ shopify_b2b_tag_list }})
),

shopify_key_metafields as (
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
    from shopify_metafields
    where owner_resource = 'customer'
    group by 1
),

shopify_records as (
    select
        'shopify' as storefront,
        shopify_customers.shopify_customer_id as customer_record_id,
        case
            when shopify_b2b_customers.shopify_customer_id is not null then 'b2b'
            else coalesce(storefront_default_types.default_customer_type, 'dtc')
        end as customer_type,
        shopify_customers.email,
        shopify_key_metafields.vat_number,
        shopify_key_metafields.account_ref,
        shopify_customers.first_name,
        shopify_customers.last_name,
        shopify_address_companies.company,
        cast(null as {{ dbt.type_string() }}) as trading_company,
        shopify_customers.phone,
        cast(null as {{ dbt.type_string() }}) as postcode,
        shopify_customers.created_at
    from shopify_customers
    left join shopify_b2b_customers
        on shopify_customers.shopify_customer_id = shopify_b2b_customers.shopify_customer_id
    left join shopify_key_metafields
        on shopify_customers.shopify_customer_id = shopify_key_metafields.shopify_customer_id
    left join shopify_address_companies
        on shopify_customers.shopify_customer_id = shopify_address_companies.shopify_customer_id
    left join storefront_default_types
        on storefront_default_types.storefront = 'shopify'
    where not shopify_customers.is_deleted
),
{% endif %}

{% if 'bigcommerce' in storefronts %}
bigcommerce_key_attributes as (
    select
        bigcommerce_attribute_values.bigcommerce_customer_id,
        max(case
            when
                lower(bigcommerce_attributes.attribute_name)
                = {{ sql_string_literal(var("bigcommerce_vat_number_attribute", "VAT Number") | lower) }}
                then bigcommerce_attribute_values.attribute_value
        end) as vat_number,
        max(case
            when
                lower(bigcommerce_attributes.attribute_name)
                = {{ sql_string_literal(var("bigcommerce_account_ref_attribute", "Sage Customer ID") | lower) }}
                then bigcommerce_attribute_values.attribute_value
        end) as account_ref
    from bigcommerce_attribute_values
    inner join bigcommerce_attributes
        on
            bigcommerce_attribute_values.bigcommerce_customer_attribute_id
            = bigcommerce_attributes.bigcommerce_customer_attribute_id
    group by 1
),

bigcommerce_records as (
    select
        'bigcommerce' as storefront,
        bigcommerce_customers.bigcommerce_customer_id as customer_record_id,
        coalesce(storefront_default_types.default_customer_type, 'b2b') as customer_type,
        bigcommerce_customers.email,
        bigcommerce_key_attributes.vat_number,
        bigcommerce_key_attributes.account_ref,
        bigcommerce_customers.first_name,
        bigcommerce_customers.last_name,
        bigcommerce_customers.company,
        cast(null as {{ dbt.type_string() }}) as trading_company,
        bigcommerce_customers.phone,
        cast(null as {{ dbt.type_string() }}) as postcode,
        bigcommerce_customers.created_at
    from bigcommerce_customers
    left join bigcommerce_key_attributes
        on bigcommerce_customers.bigcommerce_customer_id = bigcommerce_key_attributes.bigcommerce_customer_id
    left join storefront_default_types
        on storefront_default_types.storefront = 'bigcommerce'
    where not bigcommerce_customers.is_deleted
),
{% endif %}

{% if 'adobe_commerce' in storefronts %}
adobe_customer_records as (
    select
        'adobe_commerce' as storefront,
        adobe_customers.adobe_customer_id as customer_record_id,
        coalesce(storefront_default_types.default_customer_type, 'dtc') as customer_type,
        adobe_customers.email,
        adobe_customers.vat_number,
        cast(null as {{ dbt.type_string() }}) as account_ref,
        adobe_customers.first_name,
        adobe_customers.last_name,
        cast(null as {{ dbt.type_string() }}) as company,
        cast(null as {{ dbt.type_string() }}) as trading_company,
        cast(null as {{ dbt.type_string() }}) as phone,
        cast(null as {{ dbt.type_string() }}) as postcode,
        adobe_customers.created_at
    from adobe_customers
    left join storefront_default_types
        on storefront_default_types.storefront = 'adobe_commerce'
    where not exists (
        select 1
        from adobe_company_customers
        where adobe_company_customers.adobe_customer_id = adobe_customers.adobe_customer_id
    )
),

adobe_company_records as (
    select
        'adobe_commerce' as storefront,
        {{ adobe_company_record_id('adobe_company_id') }} as customer_record_id,
        'b2b' as customer_type,
        email,
        vat_number,
        account_ref,
        cast(null as {{ dbt.type_string() }}) as first_name,
        cast(null as {{ dbt.type_string() }}) as last_name,
        coalesce(legal_name, company_name) as company,
        -- A company trades under company_name and is registered as legal_name; a Sage
        -- record may be keyed under either, so both are names of the customer.
        case when legal_name is not null then company_name end as trading_company,
        phone,
        postcode,
        cast(null as timestamp) as created_at
    from adobe_companies
),
{% endif %}

unioned as (
    {% for storefront in storefronts %}
    {% if storefront == 'adobe_commerce' %}
    select * from adobe_customer_records
    union all
    select * from adobe_company_records
    {% else %}
    select * from {{ storefront }}_records
    {% endif %}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

final as (
    select
        {{ dbt.concat(["storefront", "':'", "customer_record_id"]) }} as record_key,
        storefront,
        customer_record_id,
        customer_type,
        {{ normalise_email('email') }} as email,
        {{ vat_number_as_keyed('vat_number') }} as vat_number_raw,
        {{ normalise_vat_number('vat_number') }} as vat_number,
        {{ normalise_account_ref('account_ref') }} as account_ref,
        nullif(trim({{ full_name('first_name', 'last_name') }}), '')
            as display_person_name,
        company as display_company_name,
        trading_company as trading_company_name,
        first_name,
        last_name,
        phone as phone_raw,
        postcode as postcode_raw,
        created_at
    from unioned
)

select * from final
