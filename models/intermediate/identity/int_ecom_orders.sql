{#
    One row per storefront order with a creation time (an order without one cannot be
    placed in any window): the columns every order needs, for identity, scope, the
    duplicate check and the marts. Later models read orders from here only, never from
    the storefront tables again, so a scheduled run parses only the re-read range.

    Nothing here depends on gap_as_of or on the field map, so the model is
    incremental: a scheduled run re-reads the orders created after the cut-off (the
    latest stored order dated up to the run's start, minus
    `orders_incremental_lookback_days` days: default 35, the window plus four weeks, so
    a window order cancelled or removed since the last run is seen) and the stored
    orders dated after the run's start, and replaces every stored order of that range
    (strategy `replace_reread_orders`). Every row carries the fingerprint of the source
    it was read from; a run on another source rebuilds the table
    (macros/utils/orders_incremental_filter.sql). `int_ecom_orders_as_of` applies the
    evaluation time and the entity map.

    On Spark the model is a table rebuilt at every run: `replace_reread_orders` deletes
    rows, which Spark tables other than Delta cannot do.
#}
{{ config(
    materialized=('table' if target.type == 'spark' else 'incremental'),
    unique_key='order_key',
    incremental_strategy='replace_reread_orders',
    on_schema_change='fail'
) }}

with

orders as (
    select * from {{ ref('int_ecom_orders_unioned') }}
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
    from orders
    where
        created_at is not null
        -- All orders on a full build or a rebuild; the re-read range on an incremental run.
        and {{ orders_incremental_filter('created_at', this) }}
)

select * from final
