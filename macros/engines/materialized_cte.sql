{#
    `materialized` where the engine lets a CTE be marked so (DuckDB, PostgreSQL): the
    CTE is computed once, as written, and the optimiser cannot push a later filter into
    it. Used where such a pushdown would apply an expensive normalisation to every
    stored order before a join instead of to the few rows the join keeps. Engines
    without the keyword read the CTE as usual (same result, possibly slower).
#}
{% macro materialized_cte() %}
    {{- return(adapter.dispatch('materialized_cte', 'ecom_sage_gap')()) -}}
{% endmacro %}

{% macro default__materialized_cte() -%}
{%- endmacro %}

{% macro duckdb__materialized_cte() -%}
    materialized
{%- endmacro %}

{% macro postgres__materialized_cte() -%}
    materialized
{%- endmacro %}
