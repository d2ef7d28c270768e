{#
    The cohorts of an absent customer: the one home of each cohort's rule, label,
    order, consequence and recommended action. The list order is the rule order (the
    first rule that applies wins) and the cohort_order of the marts; the
    classification (gap_cohort_rule, gap_cohort_action_code, gap_cohort_action) and
    the cohort rows of the marts are generated from it.

    `rule`, `action_code` and `action` are SQL over the columns of
    int_ecom_customers_absent_classified: customer_type, has_valid_vat_number,
    inactive_sage_customer_id, suspected_sage_customer_id, first_order_at,
    sync_status, vat_number, email. A new cohort is one entry here.
#}
{% macro gap_cohorts() %}
    {%- set awaiting_sync = "sync_status = 'awaiting_sync'" -%}
    {%- set wait_text = "'Wait for the next Sage sync (first ordered after the last one ran); create the customer only if it is still absent then.'" -%}
    {%- set wait_or_create_code = "case when " ~ awaiting_sync ~ " then 'wait_for_sync' else 'create' end" -%}
    {#- A customer who would be created but has a suspected duplicate (possible for B2B,
        whose cohort comes from the VAT number): check that record first. -#}
    {%- set duplicate_hint -%}
        case
            when suspected_sage_customer_id is not null
                then {{ dbt.concat(["' Check suspected duplicate Sage customer '", "suspected_sage_customer_id", "' first.'"]) }}
            else ''
        end
    {%- endset -%}
    {%- set cohorts = [
        {'cohort': 'inactive_in_sage', 'customer_type': 'any',
         'label': 'Inactive in Sage, still ordering',
         'consequence': 'Orders cannot post against an inactive customer; reactivate it rather than recreate, to keep its AR history.',
         'rule': 'inactive_sage_customer_id is not null',
         'action_code': "'reactivate'",
         'action': dbt.concat(["'Reactivate Sage customer '", "inactive_sage_customer_id",
                               "' (inactive but still ordering); do not create a new record.'"])},
        {'cohort': 'b2b_vat_not_keyed', 'customer_type': 'b2b',
         'label': 'B2B, VAT number not yet keyed',
         'consequence': 'Reverse-charge treatment cannot be applied automatically; a VAT return error risk under MTD.',
         'rule': "customer_type = 'b2b' and not has_valid_vat_number",
         'action_code': "'obtain_vat_number'",
         'action': dbt.concat(["'Obtain the customer''s VAT registration number, then create the Sage customer with it so reverse charge can be decided.'",
                               duplicate_hint])},
        {'cohort': 'b2b_new_account', 'customer_type': 'b2b',
         'label': 'New B2B accounts (no master record yet)',
         'consequence': 'VAT-line classification fails on the next invoice batch; manual coding at close.',
         'rule': "customer_type = 'b2b'",
         'action_code': wait_or_create_code,
         'action': dbt.concat(["case when " ~ awaiting_sync ~ " then " ~ wait_text ~ " else "
                               ~ dbt.concat(["'Create the Sage customer with VAT number '", "vat_number", "' before the next invoice batch.'"])
                               ~ " end", duplicate_hint])},
        {'cohort': 'dtc_returning_email_changed', 'customer_type': 'dtc',
         'label': 'Returning DTC, email changed',
         'consequence': 'Duplicate customer risk; AR splits across two records if a new one is created.',
         'rule': 'suspected_sage_customer_id is not null',
         'action_code': "'merge'",
         'action': dbt.concat(["'Merge into Sage customer '", "suspected_sage_customer_id",
                               "': add the new email '", "coalesce(email, '(none)')",
                               "' to it; do not create a new record.'"])},
        {'cohort': 'dtc_new', 'customer_type': 'dtc',
         'label': 'New DTC customers (first order in the window)',
         'consequence': 'Posts to a generic web-sales customer; AR analysis loses the detail.',
         'rule': is_in_gap_window('first_order_at'),
         'action_code': wait_or_create_code,
         'action': dbt.concat(["case when " ~ awaiting_sync ~ " then " ~ wait_text
                               ~ " else 'Create the Sage customer (or let the next sync create it) in the normal sync cleanup.' end",
                               duplicate_hint])},
        {'cohort': 'dtc_returning_unmatched', 'customer_type': 'dtc',
         'label': 'Returning DTC, no Sage record found',
         'consequence': 'Earlier orders already posted without a customer record; AR history is incomplete.',
         'rule': 'true',
         'action_code': wait_or_create_code,
         'action': dbt.concat(["case when " ~ awaiting_sync ~ " then " ~ wait_text
                               ~ " else 'Create the Sage customer after checking for an existing record under another email or name.' end",
                               duplicate_hint])},
    ] -%}
    {%- for cohort in cohorts -%}
        {%- do cohort.update({'sort_order': loop.index}) -%}
    {%- endfor -%}
    {{- return(cohorts) -}}
{% endmacro %}

{# The cohort of each row: the first rule of gap_cohorts() that applies. #}
{% macro gap_cohort_rule() -%}
    case
        {%- for cohort in gap_cohorts() %}
        when {{ cohort.rule }} then '{{ cohort.cohort }}'
        {%- endfor %}
    end
{%- endmacro %}

{#
    What to do about an absent customer, as a short code for BI filters: reactivate,
    obtain_vat_number, create, merge, or wait_for_sync (a new customer who first ordered
    after the last Sage sync, which may still create the record). Reads column cohort.
#}
{% macro gap_cohort_action_code() -%}
    case cohort
        {%- for cohort in gap_cohorts() %}
        when '{{ cohort.cohort }}' then {{ cohort.action_code }}
        {%- endfor %}
    end
{%- endmacro %}

{# The same action as a sentence naming the Sage record or value to use. Reads column cohort. #}
{% macro gap_cohort_action() -%}
    case cohort
        {%- for cohort in gap_cohorts() %}
        when '{{ cohort.cohort }}' then {{ cohort.action }}
        {%- endfor %}
    end
{%- endmacro %}
