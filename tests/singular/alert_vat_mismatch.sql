{{ config(severity='warn', store_failures=true, tags=['alert']) }}
-- The VAT-mismatch sibling card's alert: one row per Sage entity where more present B2B
-- customers have a VAT number missing in Sage or different from Sage's than var
-- gap_vat_mismatch_alert_threshold (default 0). It warns: the customer exists and
-- invoices can post, but reverse charge may be decided on the wrong number.
{%- set threshold = alert_threshold('gap_vat_mismatch_alert_threshold', 0) %}
with

mismatches as (
    select
        entity_id,
        count(*) as mismatches,
        sum(case when mismatch = 'vat_missing_in_sage' then 1 else 0 end) as missing_in_sage
    from {{ ref('ecom_sage_vat_mismatch') }}
    group by 1
)

select
    entity_id,
    mismatches as observed,
    {{ threshold }} as threshold,
    'B2B VAT number mismatches ' || cast(mismatches as {{ dbt.type_string() }})
    || ' > threshold ' || cast({{ threshold }} as {{ dbt.type_string() }})
    || ' in ' || coalesce(entity_id, 'the single entity')
    || ' (' || cast(missing_in_sage as {{ dbt.type_string() }}) || ' missing in Sage)' as message
from mismatches
where mismatches > {{ threshold }}
