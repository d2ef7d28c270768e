with

source as (
    select * from {{ raw_source('shopify', 'metafield') }}
),

renamed as (
    select
        {{ clean_text('id') }} as shopify_metafield_id,
        {{ clean_text('owner_id') }} as owner_id,
        lower({{ clean_text('owner_resource') }}) as owner_resource,
        {{ clean_text('namespace') }} as metafield_namespace,
        {{ clean_text('key') }} as metafield_key,
        {{ clean_text('value') }} as metafield_value
    from source
)

select * from renamed
