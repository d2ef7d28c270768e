{#
    Spark: seeds are inserted with every value written into the statement as a literal.
    dbt-spark's session mode pastes a text binding between quotes without escaping it,
    so a seed value holding an apostrophe (reconciliation_reasons: "one entity's
    master") ends the literal and fails the insert. Here a quote and a backslash are
    escaped with a backslash (Spark's string literal escape; two quotes would read as two
    adjacent literals, joined). Same batches and casts as dbt-spark's spark__load_csv_rows.
#}
{% macro spark__load_csv_rows(model, agate_table) %}
    {%- set batch_size = get_batch_size() -%}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(batch_size) -%}
        {%- set tuples = [] -%}
        {%- for row in chunk -%}
            {%- set values = [] -%}
            {%- for col_name in agate_table.column_names -%}
                {%- set type = column_override.get(col_name, adapter.convert_type(agate_table, loop.index0)) -%}
                {%- set value = row[loop.index0] -%}
                {%- if value is none -%}
                    {%- set literal = 'null' -%}
                {%- elif value is number and value is not boolean -%}
                    {%- set literal = value | string -%}
                {%- else -%}
                    {%- set literal = "'" ~ (value | string | replace('\\', '\\\\') | replace("'", "\\'")) ~ "'" -%}
                {%- endif -%}
                {%- do values.append('cast(' ~ literal ~ ' as ' ~ type ~ ')') -%}
            {%- endfor -%}
            {%- do tuples.append('(' ~ (values | join(', ')) ~ ')') -%}
        {%- endfor -%}
        {%- set sql = 'insert into ' ~ this.render() ~ ' values ' ~ (tuples | join(', ')) -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- if loop.index0 == 0 -%}
            {%- do statements.append(sql) -%}
        {%- endif -%}
    {%- endfor -%}
    {{- return(statements[0] if statements else '') -}}
{% endmacro %}
