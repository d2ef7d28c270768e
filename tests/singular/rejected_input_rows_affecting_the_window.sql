{{ config(severity=input_rejection_severity(), store_failures=true) }}
-- One row per rejected input value that could change this run's numbers (anything but
-- an order dated after gap_as_of): the value was not read, so the card may be wrong
-- until the export is fixed. Severity: var input_rejection_severity (error or warn).
-- The rows are kept (store_failures) so the run prints them.
select
    source_name,
    table_name,
    row_id,
    column_name,
    raw_value,
    as_of,
    reason as problem
from {{ ref('ecom_sage_input_rejections') }}
where could_affect_window
