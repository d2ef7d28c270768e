{#
    Strict reading of the raw input (contract, section 5, "Nothing lost"). Which
    columns are parsed, and how, is declared once, on the source columns in
    models/staging/<source>/_<source>__sources.yml:
        config: {meta: {parse: timestamp | boolean | money, required: true}}
    A row whose non-empty value does not parse (or whose required value is empty) is
    rejected: staging leaves it out (is_accepted_input_row) and the source's
    stg_<source>__input_rejections view lists it (rejected_input_rows), so it reaches
    the published table ecom_sage_input_rejections and its data test instead of being
    read as NULL, false or another instant.
#}

{# The parse rules of one source table: a list of {column, parse, required}. #}
{% macro input_parse_rules(source_name, table_name) %}
    {%- set rules = [] -%}
    {#- The graph is filled once the project is parsed; rules matter only when SQL runs. -#}
    {%- if not execute -%}
        {{- return(rules) -}}
    {%- endif -%}
    {%- for node in graph.sources.values() -%}
        {%- if node.source_name == source_name and node.name == table_name -%}
            {%- for column in node.columns.values() -%}
                {%- set meta = column.get('meta') or {} -%}
                {%- if meta.get('parse') -%}
                    {%- if meta.parse not in ['timestamp', 'boolean', 'money'] -%}
                        {{ exceptions.raise_compiler_error(
                            "source " ~ source_name ~ "." ~ table_name ~ " column " ~ column.name
                            ~ ": parse must be timestamp, boolean or money, got " ~ meta.parse
                        ) }}
                    {%- endif -%}
                    {%- do rules.append({'column': column.name, 'parse': meta.parse, 'required': meta.get('required', false)}) -%}
                {%- endif -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endfor -%}
    {{- return(rules) -}}
{% endmacro %}

{# The first declared column of a source table: the row id shown with a rejection. #}
{% macro input_row_id_column(source_name, table_name) %}
    {%- if not execute -%}
        {{- return('1') -}}
    {%- endif -%}
    {%- for node in graph.sources.values() -%}
        {%- if node.source_name == source_name and node.name == table_name -%}
            {{- return((node.columns.values() | list)[0].name) -}}
        {%- endif -%}
    {%- endfor -%}
    {{- return(none) -}}
{% endmacro %}

{# A parse rule applied to a column: the typed value (null when empty or unreadable). #}
{% macro parse_input_value(parse, column) -%}
    {%- if parse == 'timestamp' -%}{{ parse_timestamp_utc(column) }}
    {%- elif parse == 'boolean' -%}{{ parse_boolean(column) }}
    {%- else -%}{{ parse_money(column) }}
    {%- endif -%}
{%- endmacro %}

{# True when a raw cell is null or only whitespace. #}
{% macro is_blank_input(column) %}
    {{- return(adapter.dispatch('is_blank_input', 'ecom_sage_gap')(column)) -}}
{% endmacro %}

{% macro default__is_blank_input(column) -%}
    (nullif({{ normalisation_trim('cast(' ~ column ~ ' as ' ~ dbt.type_string() ~ ')') }}, '') is null)
{%- endmacro %}

{# DuckDB: a typed column (Parquet, warehouse) is blank only when null; folded at plan time. #}
{% macro duckdb__is_blank_input(column) -%}
    case typeof({{ column }})
        when 'VARCHAR' then {{ default__is_blank_input(column) }}
        else {{ column }} is null
    end
{%- endmacro %}

{#
    Why a cell is rejected, or null when it is accepted: a required value that is
    empty, or a non-empty value its parse rule cannot read (a boolean reads an empty
    cell as false, so only an unknown word rejects it).
#}
{% macro input_rejection_reason(rule) -%}
    {%- set parsed = parse_input_value(rule.parse, rule.column) -%}
    case
        {%- if rule.required %}
        when {{ is_blank_input(rule.column) }} then 'empty, and the column is required'
        {%- endif %}
        when {{ parsed }} is not null then null
        {%- if rule.parse != 'boolean' %}
        when {{ is_blank_input(rule.column) }} then null
        {%- endif %}
        {%- if rule.parse == 'timestamp' %}
        else 'not a timestamp in an accepted shape (ISO-8601 date and time, optional offset Z, +HH:MM, +HHMM, +HH)'
        {%- elif rule.parse == 'boolean' %}
        else 'not a boolean (true/false, 1/0, t/f, yes/no, y/n, or empty)'
        {%- else %}
        else 'not a number'
        {%- endif %}
    end
{%- endmacro %}

{# SQL condition for staging: the raw row has no rejected cell. #}
{% macro is_accepted_input_row(source_name, table_name) -%}
    {%- set rules = input_parse_rules(source_name, table_name) -%}
    (
        true
        {%- for rule in rules %}
        and {{ input_rejection_reason(rule) }} is null
        {%- endfor %}
    )
{%- endmacro %}

{#
    One row per rejected (input row, column) of one source table: source_name,
    table_name, row_id (the table's first column), column_name, raw_value, reason, and
    row_created_at (the row's parsed required timestamp, an order's created_at, when
    the table has one and it parses; the published table decides from it whether the
    rejection can affect the window).
#}
{% macro rejected_input_rows(source_name, table_name) %}
    {%- set rules = input_parse_rules(source_name, table_name) -%}
    {%- set time_rules = rules | selectattr('required') | selectattr('parse', 'equalto', 'timestamp') | list -%}
    {%- set row_id = input_row_id_column(source_name, table_name) -%}
    with

    rejected_rows as (
        select *
        from {{ raw_source(source_name, table_name) }}
        where not {{ is_accepted_input_row(source_name, table_name) }}
    ),

    rejected_cells as (
        select
            cast(null as {{ dbt.type_string() }}) as source_name,
            cast(null as {{ dbt.type_string() }}) as table_name,
            cast(null as {{ dbt.type_string() }}) as row_id,
            cast(null as {{ dbt.type_string() }}) as column_name,
            cast(null as {{ dbt.type_string() }}) as raw_value,
            cast(null as {{ dbt.type_string() }}) as reason,
            cast(null as timestamp) as row_created_at
        where false
        {%- for rule in rules %}
        union all
        select
            '{{ source_name }}' as source_name,
            '{{ table_name }}' as table_name,
            {{ clean_text(row_id) }} as row_id,
            '{{ rule.column }}' as column_name,
            cast({{ rule.column }} as {{ dbt.type_string() }}) as raw_value,
            {{ input_rejection_reason(rule) }} as reason,
            {% if time_rules %}{{ parse_timestamp_utc(time_rules[0].column) }}{% else %}cast(null as timestamp){% endif %}
                as row_created_at
        from rejected_rows
        where {{ input_rejection_reason(rule) }} is not null
        {%- endfor %}
    )

    select * from rejected_cells
{% endmacro %}

{# The rejected rows of several tables of one source, as one union (a source's view). #}
{% macro source_input_rejections(source_name, table_names) %}
    {%- for table_name in table_names %}
    select * from (
        {{ rejected_input_rows(source_name, table_name) }}
    ) as {{ table_name }}_rejections
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{% endmacro %}
