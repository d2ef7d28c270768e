{#
    The incremental state of int_ecom_orders: which stored orders a scheduled run
    re-reads and replaces, and whether it must rebuild them all.

    - High-water mark: the latest stored `created_at` that is not later than the start
      of this run (`run_started_at`), minus `orders_incremental_lookback_days` days, is
      the cut-off. It is read from the data, not from the clock, so data dated in the
      past (the demo, test and scale datasets) is refreshed like live data; and an order
      dated in the future (a typo such as 2099) cannot move it, so it never stops later
      runs from reading new orders.
    - Re-read range: every order created after the cut-off, plus the stored orders
      dated after the run start by key (their corrected source row may be older than
      the cut-off). The incremental strategy `replace_reread_orders` deletes every
      stored order in that range (and every key of the new batch) and inserts the
      batch, so an order removed from the source inside the lookback goes too.
    - Source fingerprint: a number derived from where the orders are read (file mode:
      raw_data_path; warehouse: every storefront source relation) and the enabled
      storefronts, stored on every row. A run whose fingerprint differs from the stored
      one (another folder, schema, database, identifier or storefront set), or that
      finds no stored order up to its start, re-reads and replaces everything.
#}

{# The SQL predicate an incremental run of int_ecom_orders applies to the source orders. #}
{% macro orders_incremental_filter(created_at_column, relation, key_column='order_key') %}
    {%- set lookback_days = orders_incremental_lookback_days() -%}
    {%- if not (execute and is_incremental()) -%}
        {{- return('true') -}}
    {%- endif -%}
    {%- set state = orders_incremental_state(relation, created_at_column, key_column) -%}
    {{- return(state.source_predicate) -}}
{% endmacro %}

{# `orders_incremental_lookback_days`, checked: a whole number >= 0. #}
{% macro orders_incremental_lookback_days() %}
    {%- set text = var('orders_incremental_lookback_days', 35) | string | trim -%}
    {%- if not text.isdigit() -%}
        {{ exceptions.raise_compiler_error(
            "orders_incremental_lookback_days must be a whole number >= 0, got "
            ~ var('orders_incremental_lookback_days')
        ) }}
    {%- endif -%}
    {{- return(text | int) -}}
{% endmacro %}

{#
    Where the orders come from, as text: file mode (the rule of raw_source: a DuckDB
    target with raw_data_path set) names the folder, warehouse mode every source
    relation of the enabled storefronts; both name the enabled storefronts.
#}
{% macro orders_source_description() %}
    {%- set storefronts = enabled_storefronts() -%}
    {%- set raw_data_path = var('raw_data_path', none) -%}
    {%- if target.type == 'duckdb' and raw_data_path -%}
        {%- set location = 'files in ' ~ ((raw_data_path | string | trim).rstrip('/')) -%}
    {%- else -%}
        {%- set relations = [] -%}
        {%- for node in graph.sources.values() -%}
            {%- if node.source_name in storefronts -%}
                {%- do relations.append(node.relation_name) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- set location = 'tables ' ~ (relations | sort | join(', ')) -%}
    {%- endif -%}
    {{- return(location ~ '; storefronts ' ~ (storefronts | join(', '))) -}}
{% endmacro %}

{# The fingerprint of orders_source_description(): a positive bigint (60 bits of its MD5). #}
{% macro orders_source_fingerprint() %}
    {%- if not execute -%}
        {{- return(0) -}}
    {%- endif -%}
    {{- return(local_md5(orders_source_description())[:15] | int(0, 16)) -}}
{% endmacro %}

{#
    What an incremental run does, read from the stored table: a dict with
    `rebuild` (replace every stored order), `reason` (why, for the log), `cutoff`
    (text timestamp), `source_predicate` (which source orders to read) and
    `stored_predicate` (which stored orders to replace, besides the batch's keys).
    The model and the strategy both call it; the stored table does not change between
    the two, so they agree.
#}
{% macro orders_incremental_state(relation, created_at_column='created_at', key_column='order_key') %}
    {%- set lookback_days = orders_incremental_lookback_days() -%}
    {%- set fingerprint = orders_source_fingerprint() -%}
    {%- set stored_columns = adapter.get_columns_in_relation(relation) | map(attribute='name') | map('lower') | list -%}
    {%- if 'source_fingerprint' not in stored_columns -%}
        {{ exceptions.raise_compiler_error(
            relation ~ " was stored by an earlier version of this project, without the fingerprint"
            ~ " of its source. Rebuild it once: dbt build --full-refresh --select int_ecom_orders+"
            ~ " (with your usual --vars)."
        ) }}
    {%- endif -%}
    {%- set run_start = "cast('" ~ run_started_at.strftime('%Y-%m-%d %H:%M:%S.%f') ~ "' as timestamp)" -%}
    {%- set high_water_mark = 'max(case when ' ~ created_at_column ~ ' <= ' ~ run_start ~ ' then ' ~ created_at_column ~ ' end)' -%}
    {%- set summary = run_query(
        "select count(*), min(source_fingerprint), max(source_fingerprint), "
        ~ "cast(" ~ dbt.dateadd('day', -1 * lookback_days, high_water_mark) ~ " as " ~ dbt.type_string() ~ "), "
        ~ "count(case when " ~ created_at_column ~ " > " ~ run_start ~ " then 1 end) "
        ~ "from " ~ relation
    ).rows[0] -%}
    {%- set stored_count, lowest, highest, cutoff, future_count = summary[0], summary[1], summary[2], summary[3], summary[4] -%}
    {%- set reason = none -%}
    {%- if stored_count == 0 -%}
        {%- set reason = 'no order is stored' -%}
    {%- elif lowest != fingerprint or highest != fingerprint -%}
        {%- set reason = 'the stored orders were read from another source (now: ' ~ orders_source_description() ~ ')' -%}
    {%- elif cutoff is none -%}
        {%- set reason = 'every stored order is dated after the start of this run' -%}
    {%- endif -%}
    {%- if reason is not none -%}
        {{- return({
            'rebuild': true, 'reason': reason, 'cutoff': none,
            'source_predicate': 'true', 'stored_predicate': 'true',
        }) -}}
    {%- endif -%}
    {%- set after_cutoff = created_at_column ~ " > cast('" ~ cutoff ~ "' as timestamp)" -%}
    {%- set source_predicate = after_cutoff -%}
    {%- if future_count > 0 -%}
        {#- Few: their keys as literals, so the filter still reaches each storefront's scan. -#}
        {%- if future_count <= 1000 -%}
            {%- set keys = run_query(
                "select " ~ key_column ~ " from " ~ relation ~ " where " ~ created_at_column ~ " > " ~ run_start
                ~ " order by 1"
            ).columns[0].values() -%}
            {%- set quoted = [] -%}
            {%- for key in keys -%}
                {%- do quoted.append("'" ~ (key | replace("'", "''")) ~ "'") -%}
            {%- endfor -%}
            {%- set stored_keys = quoted | join(', ') -%}
        {%- else -%}
            {%- set stored_keys = 'select ' ~ key_column ~ ' from ' ~ relation ~ ' where ' ~ created_at_column ~ ' > ' ~ run_start -%}
        {%- endif -%}
        {%- set source_predicate = '(' ~ after_cutoff ~ ' or ' ~ key_column ~ ' in (' ~ stored_keys ~ '))' -%}
    {%- endif -%}
    {{- return({
        'rebuild': false, 'reason': none, 'cutoff': cutoff, 'future_count': future_count,
        'source_predicate': source_predicate, 'stored_predicate': after_cutoff,
    }) -}}
{% endmacro %}
