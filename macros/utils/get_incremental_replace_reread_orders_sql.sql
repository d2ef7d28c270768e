{#
    Incremental strategy `replace_reread_orders` (int_ecom_orders): the stored orders of
    the re-read range are replaced by what the source holds now. It deletes every stored
    order created after the cut-off (dated in the future included) and every stored order
    whose key is in the new batch, then inserts the batch. dbt's delete+insert deletes
    only the batch's keys, so an order removed from the source stayed stored.
    When the state must be rebuilt (another source, nothing stored up to the run start)
    every stored order is deleted and the batch holds every source order.
    Both statements run in the model's transaction: a failure leaves the previous state.
    The first comment line says which of the two the run did.
#}
{% macro get_incremental_replace_reread_orders_sql(arg_dict) %}
    {%- set target = arg_dict['target_relation'] -%}
    {%- set batch = arg_dict['temp_relation'] -%}
    {%- set unique_key = arg_dict['unique_key'] -%}
    {%- if not unique_key or (unique_key is sequence and unique_key is not string) -%}
        {{ exceptions.raise_compiler_error("replace_reread_orders needs one unique_key column") }}
    {%- endif -%}
    {%- set columns = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
    {%- set state = orders_incremental_state(target) -%}
    {%- if state.rebuild -%}
        {%- do log(target.identifier ~ ": " ~ state.reason ~ ": every stored order is replaced by the source's.", info=true) -%}
    {%- endif %}
    {% if state.rebuild -%}
    -- stored orders: rebuild ({{ state.reason | replace('\n', ' ') }})
    delete from {{ target }};
    {%- else -%}
    -- stored orders: re-read (created after {{ state.cutoff }}, dated after the run start, or in the batch)
    delete from {{ target }}
    where
        {{ state.stored_predicate }}
        or {{ unique_key }} in (select {{ unique_key }} from {{ batch }});
    {%- endif %}

    insert into {{ target }} ({{ columns }})
    select {{ columns }}
    from {{ batch }}
{%- endmacro %}
