{#
    The relation a staging model reads for one source table, with the columns the
    staging model reads.

    Warehouse mode: the dbt source itself. File mode (DuckDB targets, with the
    `raw_data_path` var set): DIR/<source>/<table>.parquet when that file exists (typed
    columns, as a connector lands them; staging casts them like warehouse columns),
    else DIR/<source>/<table>.csv read with a fixed dialect and every column as text
    (see read_raw_csv), so header-only files and all-empty columns still build.
    `source()` is always called so lineage and `dbt source` commands keep working.

    At execution time the table's real columns are compared with the columns its
    sources YAML declares (adapt_raw_columns): a missing required column fails naming
    the file or table and every missing column; a missing optional (bookkeeping)
    column is filled with what its absence means; a landed shape that differs from
    the one staging reads (Shopify's GraphQL-era order) is renamed to it.
#}
{% macro raw_source(source_name, table_name) %}
    {{- return(adapter.dispatch('raw_source', 'ecom_sage_gap')(source_name, table_name)) -}}
{% endmacro %}

{% macro default__raw_source(source_name, table_name) %}
    {%- set relation = source(source_name, table_name) -%}
    {%- if not execute -%}
        {{- return(relation) -}}
    {%- endif -%}
    {%- set label = source_name ~ '.' ~ table_name ~ ' (' ~ relation ~ ')' -%}
    {%- set columns = adapter.get_columns_in_relation(relation) | map(attribute='name') | list -%}
    {%- if not columns -%}
        {{ exceptions.raise_compiler_error(
            "Warehouse mode: source table " ~ label ~ " does not exist (or has no columns)."
            ~ " Point the source at it with vars " ~ source_name ~ "_schema / " ~ source_name ~ "_" ~ table_name
            ~ "_identifier, or switch the storefront off with using_" ~ source_name ~ ": false."
        ) }}
    {%- endif -%}
    {{- return(adapt_raw_columns(source_name, table_name, relation, columns, label)) -}}
{% endmacro %}

{% macro duckdb__raw_source(source_name, table_name) %}
    {#- Called for lineage even when a file is read instead. -#}
    {%- set relation = source(source_name, table_name) -%}
    {%- set raw_data_path = var('raw_data_path', none) -%}
    {%- if not raw_data_path -%}
        {{- return(default__raw_source(source_name, table_name)) -}}
    {%- endif -%}
    {%- set stem = (raw_data_path | string).rstrip('/') ~ '/' ~ source_name ~ '/' ~ table_name -%}
    {%- set csv_path = stem ~ '.csv' -%}
    {%- set parquet_path = stem ~ '.parquet' -%}
    {%- if not execute -%}
        {{- return('read_csv(' ~ quote_raw_path(csv_path) ~ ')') -}}
    {%- endif -%}
    {%- if raw_file_exists(parquet_path) -%}
        {%- set reader = 'read_parquet(' ~ quote_raw_path(parquet_path) ~ ')' -%}
        {%- set columns = run_query('select column_name from (describe select * from ' ~ reader ~ ')').columns[0].values() | list -%}
        {{- return(adapt_raw_columns(source_name, table_name, reader, columns, parquet_path)) -}}
    {%- endif -%}
    {%- if not raw_file_exists(csv_path) -%}
        {{ raise_raw_file_missing(raw_data_path, csv_path, source_name) }}
    {%- endif -%}
    {%- set columns = read_csv_header(csv_path) -%}
    {%- do check_raw_csv_rows(source_name, table_name, csv_path, columns) -%}
    {{- return(adapt_raw_columns(source_name, table_name, read_raw_csv(csv_path, columns), columns, csv_path)) -}}
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
    Fits a landed table to the columns its sources YAML declares, from the column meta:
    - no meta key below: a required column; its absence fails, naming `label` (file or
      table) and every missing column.
    - `if_absent: false | null`: a bookkeeping column whose absence has an obvious
      meaning (nothing deleted, unknown sync time, not a test order); when the table
      lacks it, it is added as that typed value.
    - `<source>_api: <shape>` with `read_as: <column>`: a column only that landed shape
      has (Shopify's GraphQL-era order); in that shape it is read as the declared column
      staging reads (several columns read as one: the first non-null, in YAML order).
      Untagged columns that another shape reads from elsewhere belong to the base
      shape, `rest`. The var `<source>_api` picks the shape: `auto` (default) detects it
      from the table's columns; an explicit shape that does not fit fails naming the
      table and the columns.
    Returns `relation` unchanged when nothing needs adding or renaming.
#}
{% macro adapt_raw_columns(source_name, table_name, relation, columns, label) %}
    {%- set present = columns | map('lower') | list -%}
    {%- set declared = raw_source_declared_columns(source_name, table_name) -%}
    {%- set api_key = source_name ~ '_api' -%}
    {%- set shape = raw_source_shape(source_name, table_name, declared, present, label) -%}

    {#- The columns the chosen shape provides by renaming (read_as of its own columns). -#}
    {%- set provided = [] -%}
    {%- for column in declared if column.meta.get(api_key) == shape and column.meta.get('read_as') -%}
        {%- do provided.append(column.meta['read_as'] | lower) -%}
    {%- endfor -%}
    {%- set required = [] -%}
    {%- set fills = [] -%}
    {%- set renamed = {} -%}
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
        {%- elif not is_present -%}
            {%- if is_optional -%}
                {%- do fills.append(column) -%}
            {%- else -%}
                {%- do required.append(column.name) -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set is_file = label.endswith('.csv') or label.endswith('.parquet') -%}
    {%- if required -%}
        {{ exceptions.raise_compiler_error(
            label ~ " is missing column(s) " ~ (required | join(', '))
            ~ (" (" ~ api_key ~ ": " ~ shape ~ ")" if shape != 'rest' else "")
            ~ (" (header has: " if is_file else " (columns: ") ~ (columns | join(', ')) ~ "). Add them"
            ~ ("; values may be empty." if is_file else "; values may be null.")
        ) }}
    {%- endif -%}
    {%- if not fills and not renamed -%}
        {{- return(relation) -}}
    {%- endif -%}

    {#- The table's own columns keep their names as the engine reports them (quoted, so their
        case is kept); added columns are the YAML's plain lower-case names, unquoted, as the
        staging models write them. -#}
    {%- set select_list = [] -%}
    {%- for column in columns if column | lower not in renamed -%}
        {%- do select_list.append(adapter.quote(column)) -%}
    {%- endfor -%}
    {%- for target, sources in renamed.items() -%}
        {%- if sources | length == 1 -%}
            {%- do select_list.append(adapter.quote(sources[0]) ~ ' as ' ~ target) -%}
        {%- else -%}
            {%- set parts = [] -%}
            {%- for name in sources -%}
                {%- do parts.append(adapter.quote(name)) -%}
            {%- endfor -%}
            {%- do select_list.append('coalesce(' ~ (parts | join(', ')) ~ ') as ' ~ target) -%}
        {%- endif -%}
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
    {{- return('(select ' ~ (select_list | join(', ')) ~ ' from ' ~ relation ~ ') as ' ~ adapter.quote(source_name ~ '__' ~ table_name)) -}}
{% endmacro %}

{#
    The columns of one source table as its sources YAML declares them, in order:
    a list of {name, meta} (column `config.meta`, dbt 1.10+ style).
#}
{% macro raw_source_declared_columns(source_name, table_name) %}
    {%- set declared = [] -%}
    {%- for node in graph.sources.values() -%}
        {%- if node.source_name == source_name and node.name == table_name -%}
            {%- for name, column in node.columns.items() -%}
                {%- set meta = (column.get('config') or {}).get('meta') or column.get('meta') or {} -%}
                {%- do declared.append({'name': name, 'meta': meta}) -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endfor -%}
    {{- return(declared) -}}
{% endmacro %}

{#
    The landed shape of a table whose columns differ by connector API (`rest`, the base
    shape, or a shape named by column meta `<source>_api`), from var `<source>_api`.
    A shape is recognised by its distinguishing columns: for a tagged shape, its
    required tagged columns; for `rest`, the columns another shape reads from elsewhere.
    `auto` takes the one shape whose distinguishing columns are all present and fails
    when none or several are; an explicit shape must have them. Tables without tagged
    columns are `rest`.
#}
{% macro raw_source_shape(source_name, table_name, declared, present, label) %}
    {%- set api_key = source_name ~ '_api' -%}
    {%- set distinguishing = {'rest': []} -%}
    {%- for column in declared if column.meta.get(api_key) -%}
        {%- set column_shape = column.meta[api_key] -%}
        {%- do distinguishing.setdefault(column_shape, []) -%}
        {%- if 'if_absent' not in column.meta -%}
            {%- do distinguishing[column_shape].append(column.name) -%}
            {%- if column.meta.get('read_as') and column.meta['read_as'] not in distinguishing['rest'] -%}
                {%- do distinguishing['rest'].append(column.meta['read_as']) -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if distinguishing | length == 1 -%}
        {{- return('rest') -}}
    {%- endif -%}

    {%- set requested = (var(api_key, 'auto') | string | trim | lower) -%}
    {%- set shapes = distinguishing.keys() | list -%}
    {%- if requested not in ['auto'] + shapes -%}
        {{ exceptions.raise_compiler_error(
            api_key ~ " must be one of auto, " ~ (shapes | join(', ')) ~ ", not '" ~ var(api_key) ~ "'."
        ) }}
    {%- endif -%}
    {%- set missing_by_shape = {} -%}
    {%- set fitting = [] -%}
    {%- for candidate in shapes -%}
        {%- set missing = [] -%}
        {%- for name in distinguishing[candidate] if name | lower not in present -%}
            {%- do missing.append(name) -%}
        {%- endfor -%}
        {%- do missing_by_shape.update({candidate: missing}) -%}
        {%- if not missing -%}
            {%- do fitting.append(candidate) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set needs = [] -%}
    {%- for candidate in shapes -%}
        {%- do needs.append(candidate ~ " needs " ~ (distinguishing[candidate] | join(', '))
            ~ (" (missing " ~ (missing_by_shape[candidate] | join(', ')) ~ ")" if missing_by_shape[candidate] else "")) -%}
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
