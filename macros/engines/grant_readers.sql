{#
    The readers' way into the published marts (var reader_roles). dbt's `grants` config
    (dbt_project.yml, marts folder) grants select on each mart; a reader also needs
    usage on the schema the marts live in, which dbt does not grant: each mart's
    post-hook grants it, on the marts schema only, so staging and intermediate relations
    (every customer's personal data) and the sources stay out of the readers' reach.
    An empty hook is not run: nothing happens without reader roles, on DuckDB (no
    grants; the publication is the boundary there) and on an engine not tested, whose
    schema grants a team makes itself (docs/warehouses.md).
#}
{% macro reader_roles() %}
    {%- set roles = list_var('reader_roles', []) -%}
    {%- for role in roles if not modules.re.match('^[A-Za-z_][A-Za-z0-9_$]*$', role | string) -%}
        {{ exceptions.raise_compiler_error("reader_roles: '" ~ role ~ "' is not a role name (letters, digits, _ and $).") }}
    {%- endfor -%}
    {{- return(roles) -}}
{% endmacro %}

{% macro grant_reader_schema_usage() %}
    {{- return(adapter.dispatch('grant_reader_schema_usage', 'ecom_sage_gap')()) -}}
{% endmacro %}

{% macro default__grant_reader_schema_usage() -%}
{%- endmacro %}

{#
    PostgreSQL: the marts are built two at a time, and two grants on one schema at once
    fail ("tuple concurrently updated"), so each takes a transaction lock first.
#}
{% macro postgres__grant_reader_schema_usage() -%}
    {%- set roles = reader_roles() -%}
    {%- if roles %}
    do $grant$
    begin
        perform pg_advisory_xact_lock(hashtext('ecom_sage_gap: reader grants'));
        grant usage on schema {{ adapter.quote(this.schema) }} to
            {%- for role in roles %} {{ adapter.quote(role) }}{{ ',' if not loop.last }}{% endfor %};
    end
    $grant$
    {%- endif -%}
{%- endmacro %}
