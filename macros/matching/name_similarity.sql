{#
    Similarity of two normalised names in [0, 1]: Jaro-Winkler. Inputs are already
    lower-cased by the name normalisers (DuckDB's function is case-sensitive).
#}
{% macro name_similarity(left_name, right_name) %}
    {{- return(adapter.dispatch('name_similarity', 'ecom_sage_gap')(left_name, right_name)) -}}
{% endmacro %}

{% macro default__name_similarity(left_name, right_name) -%}
    jaro_winkler_similarity({{ left_name }}, {{ right_name }})
{%- endmacro %}
