{#
    How each reconciliation reason (a row of the reconciliation_reasons seed, which
    says its direction and why) is measured: the absent customers it affects, as a
    condition over the columns of int_ecom_customers_absent_classified. `population`
    is 'counted' for the customers the card counts (within gap_scope) or 'all_absent'
    for every absent customer (b2b_vs_dtc_scope measures what a B2B scope leaves out).
    A new reason is a seed row and an entry here; the test
    reconciliation_reasons_have_a_rule fails the build when the two lists differ, so a
    renamed seed row can never read as zero.
#}
{% macro reconciliation_reason_rules() %}
    {%- set rules = [
        {'reason': 'match_key_choice', 'population': 'counted', 'rule': 'name_matches_sage'},
        {'reason': 'generic_holding_customer', 'population': 'counted', 'rule': 'orders_posted_to_holding > 0'},
        {'reason': 'sync_timing', 'population': 'counted', 'rule': "sync_status = 'awaiting_sync'"},
        {'reason': 'duplicate_email_merge', 'population': 'counted', 'rule': 'is_suspected_duplicate'},
        {'reason': 'b2b_vs_dtc_scope', 'population': 'all_absent', 'rule': "customer_type = 'dtc'"},
        {'reason': 'multi_entity_master', 'population': 'counted', 'rule': 'is_present_in_other_entity'},
        {'reason': 'inactive_customer_records', 'population': 'counted', 'rule': "cohort = 'inactive_in_sage'"},
    ] -%}
    {%- for rule in rules if rule.population not in ['counted', 'all_absent'] -%}
        {{ exceptions.raise_compiler_error("reconciliation reason " ~ rule.reason ~ ": population must be counted or all_absent, got " ~ rule.population) }}
    {%- endfor -%}
    {{- return(rules) -}}
{% endmacro %}
