{#
    normalise_account_ref(column) -> varchar or null

    The account reference (the Sage customerid a storefront stores against a
    customer) as a match key: trimmed and upper-cased, because Sage customer ids are
    upper-case and people type them in any case. Empty -> null.
#}
{% macro normalise_account_ref(column) -%}
    nullif(upper({{ normalisation_trim(normalise_text_identity(column)) }}), '')
{%- endmacro %}
