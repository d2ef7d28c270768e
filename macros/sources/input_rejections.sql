{#
    Strict reading of the raw input: nothing is lost (docs/definition/raw-inputs.md).
    Which columns are parsed, and how, is declared once, on the source columns in
    models/staging/<source>/_<source>__sources.yml:
        config: {meta: {parse: timestamp | boolean | money, required: true}}
    A row whose non-empty value does not parse (or whose required value is empty) is
    rejected: staging leaves it out (is_accepted_input_row) and the source's
    stg_<source>__input_rejections view lists it (rejected_input_rows), so it reaches
    the published table ecom_sage_input_rejections and its data test instead of being
    read as NULL, false or another instant.

    Only text can fail to parse. A column that lands typed as a timestamp, a date or a
    boolean (a Parquet file's, a warehouse table's) is checked for a missing required
    value alone: the rejection views then read no other value, so finding the rejected
    rows costs no second parse of every raw row.
#}

{#
    The parse rules of one source table: a list of {column, parse, required, is_text},
    is_text false when the landed column is a timestamp, date or boolean.
#}
{% macro input_parse_rules(source_name, table_name) %}
    {%- set rules = [] -%}
    {#- The graph is filled once the project is parsed; rules matter only when SQL runs. -#}
    {%- if not execute -%}
        {{- return(rules) -}}
    {%- endif -%}
    {%- set landed_types = {} -%}
    {%- for column in raw_source_columns(source_name, table_name) -%}
        {%- do landed_types.update({column.name | lower: column.data_type | string | lower}) -%}
    {%- endfor -%}
    {%- for node in graph.sources.values() if node.source_name == source_name and node.name == table_name -%}
        {%- for column in node.columns.values() -%}
            {%- set meta = (column.get('config') or {}).get('meta') or column.get('meta') or {} -%}
            {%- if meta.get('parse') -%}
                {%- if meta.parse not in ['timestamp', 'boolean', 'money'] -%}
                    {{ exceptions.raise_compiler_error(
                        "source " ~ source_name ~ "." ~ table_name ~ " column " ~ column.name
                        ~ ": parse must be timestamp, boolean or money, got " ~ meta.parse
                    ) }}
                {%- endif -%}
                {%- set landed_type = landed_types.get(column.name | lower, 'varchar') -%}
                {%- set is_typed = landed_type.startswith('timestamp') or landed_type in ['date', 'boolean', 'bool'] -%}
                {%- do rules.append({
                    'column': column.name, 'parse': meta.parse, 'required': meta.get('required', false),
                    'is_text': not (is_typed and meta.parse in ['timestamp', 'boolean'])
                }) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {{- return(rules) -}}
{% endmacro %}

{# The first declared column of a source table: the row id shown with a rejection. #}
{% macro input_row_id_column(source_name, table_name) %}
    {%- for node in graph.sources.values() if node.source_name == source_name and node.name == table_name -%}
        {{- return((node.columns.values() | list)[0].name) -}}
    {%- endfor -%}
    {{- return('1') -}}
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
    empty, or a non-empty text value its parse rule cannot read (a boolean reads an
    empty cell as false, so only an unknown word rejects it). A typed timestamp or
    boolean is only ever rejected for being missing where required.
#}
{% macro input_rejection_reason(rule) -%}
    {%- if not rule.get('is_text', true) -%}
        {%- if rule.required -%}
            case when {{ rule.column }} is null then 'empty, and the column is required' end
        {%- else -%}
            cast(null as {{ dbt.type_string() }})
        {%- endif -%}
    {%- else -%}
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
    {%- endif -%}
{%- endmacro %}

{# SQL condition for staging: the raw row has no rejected cell. #}
{% macro is_accepted_input_row(source_name, table_name) -%}
    (
        true
        {%- for rule in input_parse_rules(source_name, table_name) %}
        and {{ input_rejection_reason(rule) }} is null
        {%- endfor %}
    )
{%- endmacro %}

{#
    One row per rejected (input row, column) of the given tables of one source:
    source_name, table_name, row_id (the table's first column), column_name, raw_value,
    reason, and row_created_at (the row's parsed required timestamp, an order's
    created_at, when the table has one and it parses: the published table decides from
    it whether the rejection can affect the window). Each table is read once, for its
    rejected rows; a table without a rule that can reject anything is not read at all.
#}
{% macro source_input_rejections(source_name, table_names) %}
    {%- set checked = [] -%}
    {%- for table_name in table_names -%}
        {%- set rules = input_parse_rules(source_name, table_name) | selectattr('is_text') | list
            + input_parse_rules(source_name, table_name) | rejectattr('is_text') | selectattr('required') | list -%}
        {%- if rules -%}
            {%- do checked.append({'table': table_name, 'rules': rules}) -%}
        {%- endif -%}
    {%- endfor %}
    with

    {% for entry in checked -%}
    {{ entry.table }}_rejected as (
        select *
        from {{ raw_source(source_name, entry.table) }}
        where not {{ is_accepted_input_row(source_name, entry.table) }}
    ),

    {% endfor -%}
    rejected_cells as (
        select
            cast(null as {{ dbt.type_string() }}) as source_name,
            cast(null as {{ dbt.type_string() }}) as table_name,
            cast(null as {{ dbt.type_string() }}) as row_id,
            cast(null as {{ dbt.type_string() }}) as column_name,
            cast(null as {{ dbt.type_string() }}) as raw_value,
            cast(null as {{ dbt.type_string() }}) as reason,
            cast(null as timestamp) as row_created_at
        where 1 = 0
        {%- for entry in checked %}
        {%- set time_rules = input_parse_rules(source_name, entry.table) | selectattr('required') | selectattr('parse', 'equalto', 'timestamp') | list %}
        {%- set row_id = input_row_id_column(source_name, entry.table) %}
        {%- for rule in entry.rules %}
        union all
        select
            '{{ source_name }}' as source_name,
            '{{ entry.table }}' as table_name,
            {{ clean_text(row_id) }} as row_id,
            '{{ rule.column }}' as column_name,
            cast({{ rule.column }} as {{ dbt.type_string() }}) as raw_value,
            {{ input_rejection_reason(rule) }} as reason,
            {% if time_rules %}{{ parse_timestamp_utc(time_rules[0].column) }}{% else %}cast(null as timestamp){% endif %}
                as row_created_at
        from {{ entry.table }}_rejected
        where {{ input_rejection_reason(rule) }} is not null
        {%- endfor %}
        {%- endfor %}
    )

    select * from rejected_cells
{% endmacro %}
