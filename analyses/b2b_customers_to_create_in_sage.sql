-- The B2B customers to key into Sage Intacct today, shaped like the columns of a
-- customer import (CUSTOMERID is left for Sage's numbering). Those without a valid
-- VAT number need it obtained first: reverse charge cannot be decided without it.
select
    entity_id,
    customer_name as customer_name_to_key,
    email as displaycontact_email_1,
    cohort,
    orders_in_window,
    order_value_in_window,
    recommended_action,
    case when cohort = 'b2b_new_account' then vat_number end as taxid
from {{ ref('ecom_sage_customer_gap_customers') }}
where customer_type = 'b2b'
order by cohort asc, order_value_in_window desc
