{#
    The instant the card is evaluated at, as a UTC timestamp literal expression.
    `gap_as_of` (ISO-8601, any offset) when set, checked and converted to UTC here
    (timestamp_var_literal: a bad value fails naming the var); otherwise the start of
    this dbt invocation, so every model of one run uses the same instant.
#}
{% macro gap_as_of() %}
    {%- set configured = var('gap_as_of', none) -%}
    {%- if configured is none or (configured | string | trim) == '' -%}
        {%- set configured = run_started_at.strftime('%Y-%m-%dT%H:%M:%S.%f') ~ 'Z' -%}
    {%- endif -%}
    {{- return(timestamp_var_literal('gap_as_of', configured)) -}}
{% endmacro %}

{# The exclusive start of the window: gap_as_of minus gap_window_days days. #}
{% macro gap_window_start() %}
    {%- set text = var('gap_window_days', 7) | string | trim -%}
    {%- set days = text | int if text.isdigit() else 0 -%}
    {%- if days <= 0 -%}
        {{ exceptions.raise_compiler_error("gap_window_days must be a positive whole number of days, got " ~ var('gap_window_days')) }}
    {%- endif -%}
    {{- return(dbt.dateadd('day', -1 * days, gap_as_of())) -}}
{% endmacro %}

{#
    True when an order created at `created_at_column` exists for this evaluation:
    created_at <= gap_as_of (a later order has not happened yet). int_ecom_orders_as_of
    applies it, and so do the models that read every stored order of a customer
    straight from int_ecom_orders (they need no entity, and the view's entity joins
    would cost a pass over every order).
#}
{% macro exists_at_gap_as_of(created_at_column, nullable=false) -%}
    {%- if nullable -%}
    ({{ created_at_column }} is null or {{ created_at_column }} <= {{ gap_as_of() }})
    {%- else -%}
    ({{ created_at_column }} <= {{ gap_as_of() }})
    {%- endif -%}
{%- endmacro %}

{#
    True when a timestamp expression falls in the evaluation window:
    gap_as_of - gap_window_days days < ts <= gap_as_of.
#}
{% macro is_in_gap_window(timestamp_column) -%}
    ({{ timestamp_column }} > {{ gap_window_start() }} and {{ timestamp_column }} <= {{ gap_as_of() }})
{%- endmacro %}

{#
    The gap scope: `all` (default) or `b2b`. Anything else is a configuration error
    caught at compile time rather than a silently empty card.
#}
{% macro gap_scope() %}
    {%- set scope = var('gap_scope', 'all') | string | lower | trim -%}
    {%- if scope not in ['all', 'b2b'] -%}
        {{ exceptions.raise_compiler_error("gap_scope must be 'all' or 'b2b', got '" ~ var('gap_scope') ~ "'") }}
    {%- endif -%}
    {{- return(scope) -}}
{% endmacro %}

{#
    An alert threshold from a var, checked at compile time: a whole number >= 0.
#}
{% macro alert_threshold(var_name, default) %}
    {%- set raw = var(var_name, default) -%}
    {%- set text = raw | string | trim -%}
    {%- if not (text.isdigit()) -%}
        {{ exceptions.raise_compiler_error(var_name ~ " must be a whole number >= 0, got '" ~ raw ~ "'") }}
    {%- endif -%}
    {{- return(text | int) -}}
{% endmacro %}
