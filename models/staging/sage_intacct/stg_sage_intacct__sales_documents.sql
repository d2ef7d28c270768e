with

source as (
    select * from {{ raw_source('sage_intacct', 'sodocument') }}
),

renamed as (
    select
        {{ clean_text('recordno') }} as sage_document_record_number,
        {{ clean_text('docid') }} as document_id,
        {{ clean_text('custvendid') }} as sage_customer_id,
        {{ clean_text('ponumber') }} as po_number,
        {{ clean_text('megaentityid') }} as entity_id,
        {{ parse_timestamp_utc('whencreated') }} as created_at,
        {{ clean_text('state') }} as document_state,
        {{ parse_boolean('_fivetran_deleted') }} as is_deleted
    from source
    -- Rows with a value that does not parse are rejected, not guessed: see
    -- stg_sage_intacct__input_rejections.
    where {{ is_accepted_input_row('sage_intacct', 'sodocument') }}
)

select * from renamed
