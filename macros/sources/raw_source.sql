{#
    What a staging model reads for one source table (docs/definition/raw-inputs.md).

    raw_source(source_name, table_name) is the relation, fitted to the columns the
    sources YAML declares: the dbt source in a warehouse; in file mode (var
    raw_data_path set; DuckDB here, Spark in raw_source_spark.sql) the table's file,
    DIR/<source>/<table>.parquet when it exists, else DIR/<source>/<table>.csv read
    with the fixed dialect, every column as text, after every row is checked
    (raw_csv.sql). `source()` is always called, so lineage and `dbt source` commands
    keep working.

    raw_source_columns(source_name, table_name) is the landed table's columns with
    their types: staging parses a typed column (a Parquet file's, a warehouse table's)
    without reading it as text, and a typed timestamp or boolean cannot be rejected
    (input_rejections.sql).

    The sources YAML is the one home of the raw layout: which columns are required,
    which bookkeeping columns may be missing and what their absence means (meta
    `if_absent`), and the columns of another landed shape (meta `<source>_api`,
    `read_as`; Shopify's GraphQL-era order). adapt_raw_columns applies it.
#}
{% macro raw_source(source_name, table_name) %}
    {%- set landed = landed_raw_table(source_name, table_name, check_rows=true) -%}
    {%- if landed.columns is none -%}
        {{- return(landed.relation) -}}
    {%- endif -%}
    {{- return(adapt_raw_columns(source_name, table_name, landed)) -}}
{% endmacro %}

{% macro raw_source_columns(source_name, table_name) %}
    {%- set landed = landed_raw_table(source_name, table_name, check_rows=false) -%}
    {{- return(landed.columns or []) -}}
{% endmacro %}

{#
    The landed table: {relation, label (file or table, for messages), columns: a list of
    {name, data_type}, or none while dbt parses}.
#}
{% macro landed_raw_table(source_name, table_name, check_rows) %}
    {{- return(adapter.dispatch('landed_raw_table', 'ecom_sage_gap')(source_name, table_name, check_rows)) -}}
{% endmacro %}

{% macro default__landed_raw_table(source_name, table_name, check_rows) %}
    {%- set relation = source(source_name, table_name) -%}
    {%- if not execute -%}
        {{- return({'relation': relation, 'label': relation, 'columns': none}) -}}
    {%- endif -%}
    {%- set label = source_name ~ '.' ~ table_name ~ ' (' ~ relation ~ ')' -%}
    {%- set columns = [] -%}
    {%- for column in adapter.get_columns_in_relation(relation) -%}
        {%- do columns.append({'name': column.name, 'data_type': column.dtype}) -%}
    {%- endfor -%}
    {%- if not columns -%}
        {{ exceptions.raise_compiler_error(
            "Warehouse mode: source table " ~ label ~ " does not exist (or has no columns)."
            ~ " Point the source at it with vars " ~ source_name ~ "_schema / " ~ source_name ~ "_" ~ table_name
            ~ "_identifier, or switch the storefront off with using_" ~ source_name ~ ": false."
        ) }}
    {%- endif -%}
    {{- return({'relation': relation, 'label': label, 'columns': columns}) -}}
{% endmacro %}

{% macro duckdb__landed_raw_table(source_name, table_name, check_rows) %}
    {#- Called for lineage even when a file is read instead. -#}
    {%- set relation = source(source_name, table_name) -%}
    {%- set raw_data_path = var('raw_data_path', none) -%}
    {%- if not raw_data_path -%}
        {{- return(default__landed_raw_table(source_name, table_name, check_rows)) -}}
    {%- endif -%}
    {%- set stem = (raw_data_path | string).rstrip('/') ~ '/' ~ source_name ~ '/' ~ table_name -%}
    {%- set csv_path, parquet_path = stem ~ '.csv', stem ~ '.parquet' -%}
    {%- if not execute -%}
        {{- return({'relation': 'read_csv(' ~ quote_raw_path(csv_path) ~ ')', 'label': csv_path, 'columns': none}) -}}
    {%- endif -%}
    {%- if raw_file_exists(parquet_path) -%}
        {%- set reader = 'read_parquet(' ~ quote_raw_path(parquet_path) ~ ')' -%}
        {%- set described = run_query('select column_name, column_type from (describe select * from ' ~ reader ~ ')') -%}
        {%- set columns = [] -%}
        {%- for row in described.rows -%}
            {%- do columns.append({'name': row[0], 'data_type': row[1]}) -%}
        {%- endfor -%}
        {{- return({'relation': reader, 'label': parquet_path, 'columns': columns}) -}}
    {%- endif -%}
    {%- if not raw_file_exists(csv_path) -%}
        {{ raise_raw_file_missing(raw_data_path, csv_path, source_name) }}
    {%- endif -%}
    {%- set names = raw_csv_header(csv_path) -%}
    {%- if check_rows -%}
        {%- do check_raw_csv_rows(source_name, table_name, csv_path, names) -%}
    {%- endif -%}
    {%- set columns = [] -%}
    {%- for name in names -%}
        {%- do columns.append({'name': name, 'data_type': 'VARCHAR'}) -%}
    {%- endfor -%}
    {{- return({'relation': read_raw_csv(csv_path, names), 'label': csv_path, 'columns': columns}) -}}
{% endmacro %}

{#- File mode, either engine: the table's file is in neither format. -#}
{% macro raise_raw_file_missing(raw_data_path, csv_path, source_name) %}
    {{ exceptions.raise_compiler_error(
        "File mode (raw_data_path=" ~ raw_data_path ~ "): " ~ csv_path ~ " does not exist"
        ~ " (nor does its .parquet). Every table of an enabled source needs a CSV with its header row"
        ~ " (it may have no data rows) or a Parquet file"
        ~ ", or switch the storefront off with using_" ~ source_name ~ ": false."
    ) }}
{% endmacro %}

{% macro quote_raw_path(path) %}
    {{- return("'" ~ (path | replace("'", "''")) ~ "'") -}}
{% endmacro %}

{% macro raw_file_exists(path) %}
    {{- return(run_query('select count(*) from glob(' ~ quote_raw_path(path) ~ ')').columns[0].values()[0] > 0) -}}
{% endmacro %}

{#
    Fits a landed table to the columns its sources YAML declares (column meta):
    - no meta key below: a required column; its absence fails, naming the file or table
      and every missing column;
    - `if_absent: false | null`: a bookkeeping column whose absence has an obvious
      meaning (nothing deleted, unknown sync time, not a test order), added as that
      typed value when the table lacks it;
    - `<source>_api: <shape>` with `read_as: <column>`: a column only that landed shape
      has, read as the declared column staging reads (several read as one: the first
      non-null, in YAML order). The var `<source>_api` picks the shape (raw_source_shape).
    Returns the relation unchanged when nothing needs adding or renaming.
#}
{% macro adapt_raw_columns(source_name, table_name, landed) %}
    {%- set columns = landed.columns | map(attribute='name') | list -%}
    {%- set present = columns | map('lower') | list -%}
    {%- set declared = raw_source_declared_columns(source_name, table_name) -%}
    {%- set api_key = source_name ~ '_api' -%}
    {%- set shape = raw_source_shape(source_name, declared, present, landed.label) -%}
    {#- The declared columns this shape provides from columns of its own (read_as). -#}
    {%- set provided = [] -%}
    {%- for column in declared if column.meta.get(api_key) == shape and column.meta.get('read_as') -%}
        {%- do provided.append(column.meta['read_as'] | lower) -%}
    {%- endfor -%}
    {%- set required, fills, renamed = [], [], {} -%}
    {%- for column in declared -%}
        {%- set column_shape = column.meta.get(api_key) -%}
        {%- set is_present = column.name | lower in present -%}
        {%- set is_optional = 'if_absent' in column.meta -%}
        {%- if column_shape and column_shape != shape -%}
            {#- Another shape's column: not read. -#}
        {%- elif column_shape and column.meta.get('read_as') -%}
            {%- if is_present -%}
                {%- do renamed.setdefault(column.meta['read_as'] | lower, []).append(column.name) -%}
            {%- elif not is_optional -%}
                {%- do required.append(column.name) -%}
            {%- endif -%}
        {%- elif not column_shape and column.name | lower in provided -%}
            {#- Read from this shape's own column(s) instead. -#}
        {%- elif not is_present and is_optional -%}
            {%- do fills.append(column) -%}
        {%- elif not is_present -%}
            {%- do required.append(column.name) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set is_file = landed.label.endswith('.csv') or landed.label.endswith('.parquet') -%}
    {%- if required -%}
        {{ exceptions.raise_compiler_error(
            landed.label ~ " is missing column(s) " ~ (required | join(', '))
            ~ (" (" ~ api_key ~ ": " ~ shape ~ ")" if shape != 'rest' else "")
            ~ (" (header has: " if is_file else " (columns: ") ~ (columns | join(', ')) ~ "). Add them"
            ~ ("; values may be empty." if is_file else "; values may be null.")
        ) }}
    {%- endif -%}
    {%- if not fills and not renamed -%}
        {{- return(landed.relation) -}}
    {%- endif -%}
    {#- The table's own columns keep their names as the engine reports them (quoted, so
        their case is kept); added columns are the YAML's plain lower-case names. -#}
    {%- set select_list = [] -%}
    {%- for column in columns if column | lower not in renamed -%}
        {%- do select_list.append(adapter.quote(column)) -%}
    {%- endfor -%}
    {%- for target_column, landed_columns in renamed.items() -%}
        {%- set quoted = [] -%}
        {%- for name in landed_columns -%}
            {%- do quoted.append(adapter.quote(name)) -%}
        {%- endfor -%}
        {%- do select_list.append(('coalesce(' ~ (quoted | join(', ')) ~ ')' if quoted | length > 1 else quoted[0]) ~ ' as ' ~ target_column) -%}
    {%- endfor -%}
    {%- for column in fills -%}
        {%- set value = column.meta['if_absent'] -%}
        {%- if value is none -%}
            {%- do select_list.append('cast(null as ' ~ dbt.type_string() ~ ') as ' ~ column.name) -%}
        {%- elif value is sameas false -%}
            {%- do select_list.append('false as ' ~ column.name) -%}
        {%- else -%}
            {{ exceptions.raise_compiler_error(
                source_name ~ "." ~ table_name ~ "." ~ column.name ~ ": if_absent must be false or null, not " ~ value
            ) }}
        {%- endif -%}
    {%- endfor -%}
    {{- return('(select ' ~ (select_list | join(', ')) ~ ' from ' ~ landed.relation ~ ') as ' ~ adapter.quote(source_name ~ '__' ~ table_name)) -}}
{% endmacro %}

{# The columns of one source table as its sources YAML declares them, in order: [{name, meta}]. #}
{% macro raw_source_declared_columns(source_name, table_name) %}
    {%- set declared = [] -%}
    {%- for node in graph.sources.values() if node.source_name == source_name and node.name == table_name -%}
        {%- for name, column in node.columns.items() -%}
            {%- do declared.append({'name': name, 'meta': (column.get('config') or {}).get('meta') or column.get('meta') or {}}) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{- return(declared) -}}
{% endmacro %}

{#
    The landed shape of a table whose columns differ by connector API: `rest` (the base
    shape) or a shape named by column meta `<source>_api`, from var `<source>_api`. A
    shape is recognised by its distinguishing columns: a tagged shape's required tagged
    columns; for `rest`, the columns another shape reads from elsewhere. `auto` (the
    default) takes the one shape whose distinguishing columns are all present and fails
    when none or several are; an explicit shape must have them. Tables without tagged
    columns are `rest`.
#}
{% macro raw_source_shape(source_name, declared, present, label) %}
    {%- set api_key = source_name ~ '_api' -%}
    {%- set distinguishing = {'rest': []} -%}
    {%- for column in declared if column.meta.get(api_key) -%}
        {%- do distinguishing.setdefault(column.meta[api_key], []) -%}
        {%- if 'if_absent' not in column.meta -%}
            {%- do distinguishing[column.meta[api_key]].append(column.name) -%}
            {%- if column.meta.get('read_as') and column.meta['read_as'] not in distinguishing['rest'] -%}
                {%- do distinguishing['rest'].append(column.meta['read_as']) -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if distinguishing | length == 1 -%}
        {{- return('rest') -}}
    {%- endif -%}
    {%- set requested = var(api_key, 'auto') | string | trim | lower -%}
    {%- set shapes = distinguishing.keys() | list -%}
    {%- if requested not in ['auto'] + shapes -%}
        {{ exceptions.raise_compiler_error(api_key ~ " must be one of auto, " ~ (shapes | join(', ')) ~ ", not '" ~ var(api_key) ~ "'.") }}
    {%- endif -%}
    {%- set missing_by_shape, fitting, needs = {}, [], [] -%}
    {%- for candidate in shapes -%}
        {%- set missing = distinguishing[candidate] | reject('in', present) | list -%}
        {%- do missing_by_shape.update({candidate: missing}) -%}
        {%- if not missing -%}
            {%- do fitting.append(candidate) -%}
        {%- endif -%}
        {%- do needs.append(candidate ~ " needs " ~ (distinguishing[candidate] | join(', '))
            ~ (" (missing " ~ (missing | join(', ')) ~ ")" if missing else "")) -%}
    {%- endfor -%}
    {%- if requested != 'auto' -%}
        {%- if missing_by_shape[requested] -%}
            {{ exceptions.raise_compiler_error(
                label ~ " does not fit " ~ api_key ~ ": " ~ requested ~ ": it lacks column(s) "
                ~ (missing_by_shape[requested] | join(', '))
                ~ (" and has the columns of " ~ api_key ~ ": " ~ (fitting | join(' / ')) if fitting else "")
                ~ " (" ~ (needs | join('; ')) ~ "). Set " ~ api_key ~ " to the shape the table has, or to auto."
            ) }}
        {%- endif -%}
        {{- return(requested) -}}
    {%- endif -%}
    {%- if fitting | length == 1 -%}
        {{- return(fitting[0]) -}}
    {%- endif -%}
    {{ exceptions.raise_compiler_error(
        label ~ (" fits no " if not fitting else " fits more than one ") ~ api_key ~ " shape ("
        ~ (needs | join('; ')) ~ "; its columns: " ~ (present | join(', ')) ~ ")."
        ~ (" Set " ~ api_key ~ " to the shape it has." if fitting else "")
    ) }}
{% endmacro %}
