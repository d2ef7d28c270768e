{#
    One row per (Sage record, match_key, match_value): its VAT number, its account
    reference (customerid) and each address held in either contact email field.
#}
with

sage_customers as (
    select * from {{ ref('int_sage_customers') }}
),

split_emails as (
    select
        sage_record_number,
        {{ split_to_rows('contact_email_1', '[;,]') }} as email_candidate
    from sage_customers
    where contact_email_1 is not null
    union all
    select
        sage_record_number,
        {{ split_to_rows('contact_email_2', '[;,]') }} as email_candidate
    from sage_customers
    where contact_email_2 is not null
),

emails as (
    select
        sage_record_number,
        {{ normalise_email('email_candidate') }} as email
    from split_emails
),

unioned as (
    select
        sage_record_number,
        'vat_number' as match_key,
        vat_number as match_value
    from sage_customers
    where vat_number is not null
    union all
    select
        sage_record_number,
        'account_ref' as match_key,
        account_ref as match_value
    from sage_customers
    where account_ref is not null
    union all
    select
        sage_record_number,
        'email' as match_key,
        email as match_value
    from emails
    where email is not null
),

final as (
    select distinct
        sage_record_number,
        match_key,
        match_value
    from unioned
)

select * from final
