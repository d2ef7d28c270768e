{#
    The six cohorts of an absent customer, in rule order (the first rule that applies
    wins), with the customer type they hold, a label a finance lead reads and the
    consequence of leaving them unfixed at close.
#}
{% macro gap_cohorts() %}
    {{- return([
        {'cohort': 'inactive_in_sage', 'customer_type': 'any', 'sort_order': 1,
         'label': 'Inactive in Sage, still ordering',
         'consequence': 'Orders cannot post against an inactive customer; reactivate it rather than recreate, to keep its AR history.'},
        {'cohort': 'b2b_vat_not_keyed', 'customer_type': 'b2b', 'sort_order': 2,
         'label': 'B2B, VAT number not yet keyed',
         'consequence': 'Reverse-charge treatment cannot be applied automatically; a VAT return error risk under MTD.'},
        {'cohort': 'b2b_new_account', 'customer_type': 'b2b', 'sort_order': 3,
         'label': 'New B2B accounts (no master record yet)',
         'consequence': 'VAT-line classification fails on the next invoice batch; manual coding at close.'},
        {'cohort': 'dtc_returning_email_changed', 'customer_type': 'dtc', 'sort_order': 4,
         'label': 'Returning DTC, email changed',
         'consequence': 'Duplicate customer risk; AR splits across two records if a new one is created.'},
        {'cohort': 'dtc_new', 'customer_type': 'dtc', 'sort_order': 5,
         'label': 'New DTC customers (first order in the window)',
         'consequence': 'Posts to a generic web-sales customer; AR analysis loses the detail.'},
        {'cohort': 'dtc_returning_unmatched', 'customer_type': 'dtc', 'sort_order': 6,
         'label': 'Returning DTC, no Sage record found',
         'consequence': 'Earlier orders already posted without a customer record; AR history is incomplete.'},
    ]) -}}
{% endmacro %}

{#
    What to do about an absent customer, as a short code for BI filters:
    reactivate, obtain_vat_number, create, merge, or wait_for_sync (a new customer who
    first ordered after the last Sage sync, which may still create the record).
#}
{% macro recommended_action_code(cohort, sync_status) -%}
    case
        when {{ cohort }} = 'inactive_in_sage' then 'reactivate'
        when {{ cohort }} = 'b2b_vat_not_keyed' then 'obtain_vat_number'
        when {{ cohort }} = 'dtc_returning_email_changed' then 'merge'
        when {{ sync_status }} = 'awaiting_sync' then 'wait_for_sync'
        else 'create'
    end
{%- endmacro %}

{#
    The same action as a sentence naming the Sage record or value to use. When the
    action is to create a record and a suspected duplicate exists (possible for B2B
    customers, whose cohort comes from the VAT number), it says to check that record
    first, so nobody creates a second master record for the same customer.
#}
{% macro recommended_action(cohort, sync_status, suspected_sage_customer_id, inactive_sage_customer_id, vat_number, email) -%}
    {%- set create_action -%}
        case
            when {{ cohort }} = 'b2b_vat_not_keyed'
                then 'Obtain the customer''s VAT registration number, then create the Sage customer with it so reverse charge can be decided.'
            when {{ sync_status }} = 'awaiting_sync'
                then 'Wait for the next Sage sync (first ordered after the last one ran); create the customer only if it is still absent then.'
            when {{ cohort }} = 'b2b_new_account'
                then {{ dbt.concat(["'Create the Sage customer with VAT number '", vat_number, "' before the next invoice batch.'"]) }}
            when {{ cohort }} = 'dtc_new'
                then 'Create the Sage customer (or let the next sync create it) in the normal sync cleanup.'
            else 'Create the Sage customer after checking for an existing record under another email or name.'
        end
    {%- endset -%}
    {%- set duplicate_hint -%}
        case
            when {{ suspected_sage_customer_id }} is not null
                then {{ dbt.concat(["' Check suspected duplicate Sage customer '", suspected_sage_customer_id, "' first.'"]) }}
            else ''
        end
    {%- endset -%}
    case
        when {{ cohort }} = 'inactive_in_sage'
            then {{ dbt.concat([
                "'Reactivate Sage customer '", inactive_sage_customer_id,
                "' (inactive but still ordering); do not create a new record.'"
            ]) }}
        when {{ cohort }} = 'dtc_returning_email_changed'
            then {{ dbt.concat([
                "'Merge into Sage customer '", suspected_sage_customer_id,
                "': add the new email '", "coalesce(" ~ email ~ ", '(none)')",
                "' to it; do not create a new record.'"
            ]) }}
        else {{ dbt.concat([create_action, duplicate_hint]) }}
    end
{%- endmacro %}
