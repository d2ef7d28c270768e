-- Every reason of the reconciliation_reasons seed has a measurement rule
-- (macro reconciliation_reason_rules) and every rule has a seed row: a renamed or
-- added row on one side only is listed here instead of reading as zero.
with

seed_reasons as (
    select distinct {{ clean_text('reason') }} as reason
    from {{ ref('reconciliation_reasons') }}
),

rule_reasons as (
    {% for rule in reconciliation_reason_rules() %}
    select '{{ rule.reason }}' as reason
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select
    coalesce(seed_reasons.reason, rule_reasons.reason) as reason,
    case
        when rule_reasons.reason is null then 'seed row without a rule in reconciliation_reason_rules'
        else 'rule without a row in the reconciliation_reasons seed'
    end as problem
from seed_reasons
full outer join rule_reasons
    on seed_reasons.reason = rule_reasons.reason
where seed_reasons.reason is null or rule_reasons.reason is null
