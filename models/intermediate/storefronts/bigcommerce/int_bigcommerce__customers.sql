{#
    One row per live (not deleted) BigCommerce customer, in the common columns of
    int_ecom_customer_members before their normalisation: the storefront's default
    type; VAT number and Sage account ref from customer attributes. Key values as the
    storefront holds them.
#}
{{ config(materialized='view') }}

with

customers as (
    select * from {{ ref('stg_bigcommerce__customers') }}
),

attributes as (
    select * from {{ ref('stg_bigcommerce__customer_attributes') }}
),

attribute_values as (
    select * from {{ ref('stg_bigcommerce__customer_attribute_values') }}
),

storefront_map as (
    select * from {{ ref('stg_field_map__storefronts') }}
),

-- The storefront's `*` row of the field map sets the type; without one, BigCommerce
-- customers are b2b.
default_type as (
    select max(default_customer_type) as default_customer_type
    from storefront_map
    where storefront = 'bigcommerce' and store_key = '*'
),

-- The attributes are named by the vars bigcommerce_*_attribute, matched case-insensitively.
key_attributes as (
    select
        attribute_values.bigcommerce_customer_id,
        max(case
            when
                lower(attributes.attribute_name)
                = {{ sql_string_literal(var("bigcommerce_vat_number_attribute", "VAT Number") | lower) }}
                then attribute_values.attribute_value
        end) as vat_number,
        max(case
            when
                lower(attributes.attribute_name)
                = {{ sql_string_literal(var("bigcommerce_account_ref_attribute", "Sage Customer ID") | lower) }}
                then attribute_values.attribute_value
        end) as account_ref
    from attribute_values
    inner join attributes
        on attribute_values.bigcommerce_customer_attribute_id = attributes.bigcommerce_customer_attribute_id
    group by 1
),

final as (
    select
        'bigcommerce' as storefront,
        customers.bigcommerce_customer_id as customer_record_id,
        coalesce(default_type.default_customer_type, 'b2b') as customer_type,
        customers.email,
        key_attributes.vat_number,
        key_attributes.account_ref,
        customers.first_name,
        customers.last_name,
        customers.company,
        cast(null as {{ dbt.type_string() }}) as trading_company,
        customers.phone,
        cast(null as {{ dbt.type_string() }}) as postcode,
        customers.created_at
    from customers
    left join key_attributes
        on customers.bigcommerce_customer_id = key_attributes.bigcommerce_customer_id
    cross join default_type
    where not customers.is_deleted
)

select * from final
