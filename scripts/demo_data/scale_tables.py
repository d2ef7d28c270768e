"""The scale dataset's raw tables: one query per raw table over the
population."""

from __future__ import annotations

from .scale_population import ScalePopulation
from .scale_settings import EMAIL_DOMAINS, PLACEHOLDER_PHONES, POSTCODE_OUTWARDS, RATES, sql_list


class ScaleBuilder(ScalePopulation):
    """The population plus one query per raw table."""

    # ----------------------------------------------------------------------------------
    def table_queries(self) -> dict[tuple[str, str], str]:
        z = self.sizes
        r = RATES
        n_co = z["adobe_companies"]
        mixed = r["mixed_case_email"]
        placeholder = sql_list(PLACEHOLDER_PHONES)
        email_variant = (f"case when u(oid, 'emailcase') < {mixed} then "
                         f"upper(left(email, 1)) || substr(email, 2) || ' ' else email end")
        guest_email = ("case when guest_uses_customer_email then email "
                       "else 'guest' || cast(oid as varchar) || '@' "
                       f"|| pick({sql_list(EMAIL_DOMAINS)}, oid, 'gdom') end")
        customer_phone = (f"case when u(g, 'phph') < {r['placeholder_phone']} "
                          f"then pick({placeholder}, g, 'phv') else phone end")
        q: dict[tuple[str, str], str] = {}
        deleted_customer = f"u(g, 'sfdel') < {r['storefront_deleted_customers']}"

        q["shopify", "customer"] = f"""
            select
                7400000000000 + g as id,
                case when u(g, 'emailcase') < {mixed} then upper(email) else email end as email,
                first_name, last_name,
                {customer_phone} as phone,
                case when {deleted_customer} then 'disabled' else 'enabled' end as state,
                case when is_new then as_of() + to_hours(cast(h(g, 'created') % 160 as integer))
                    else as_of() - to_days(30 + cast(h(g, 'created') % 1400 as integer)) end as created_at,
                case when is_new then as_of() + to_hours(cast(h(g, 'created') % 160 as integer))
                    else as_of() - to_days(1 + cast(h(g, 'updated') % 25 as integer)) end as updated_at,
                case when is_new then eval_as_of() else as_of() end
                    - to_minutes(1 + cast(h(g, 'synced') % 60 as integer)) as _fivetran_synced,
                {deleted_customer} as _fivetran_deleted
            from people where kind = 'shopify' order by g"""
        q["shopify", "customer_address"] = f"""
            select
                8100000000000 + g * 2 + a as id,
                7400000000000 + g as customer_id,
                case when a = 0 then company end as company,
                case when a = 0 then postcode
                     else pick({sql_list(POSTCODE_OUTWARDS)}, g, 'pc2') || ' 2AB' end as zip,
                'GB' as country_code,
                case when a = 0 and u(g, 'addrphone') < 0.5 then phone end as phone,
                a = 0 as is_default
            from people, range(2) t(a)
            where kind = 'shopify' and (a = 0 or u(g, 'second_address') < 0.2)
            order by g, a"""
        q["shopify", "customer_tag"] = f"""
            select
                7400000000000 + g as customer_id,
                0 as "index",
                case when is_b2b then pick(['wholesale', 'Wholesale', 'B2B'], g, 'tagcase')
                     else pick(['VIP', 'newsletter', 'loyalty-gold'], g, 'tag') end as value
            from people
            where kind = 'shopify' and (is_b2b or u(g, 'hastag') < 0.05)
            order by g"""
        q["shopify", "metafield"] = f"""
            select
                2300000000000 + g * 2 + m as id,
                7400000000000 + g as owner_id,
                'customer' as owner_resource,
                'custom' as namespace,
                case when m = 0 then 'vat_number' else 'sage_customer_id' end as key,
                case when m = 0 then
                    case h(g, 'vatfmt_sf') % 4
                        when 0 then 'GB' || vat_digits
                        when 1 then 'GB ' || substr(vat_digits, 1, 3) || ' ' || substr(vat_digits, 4, 4)
                            || ' ' || substr(vat_digits, 8, 2)
                        when 2 then 'gb' || vat_digits
                        else vat_digits end
                    else sage_customerid end as value
            from (
                select p.*, sage_id(k.recordno) as sage_customerid
                from people p left join sage_keyed k on k.g = p.g
                where p.kind = 'shopify' and p.is_b2b
            ), range(2) t(m)
            where (m = 0 and vat_digits is not null)
               or (m = 1 and sage_customerid is not null and u(g, 'acctref') < {r['b2b_account_ref']})
            order by g, m"""
        q["shopify", "order"] = f"""
            select
                5600000000000 + oid as id,
                '#' || cast(1001 + j as varchar) as name,
                case when is_guest then null else 7400000000000 + g end as customer_id,
                case when is_guest then {guest_email} else {email_variant} end as email,
                created_at,
                case when is_cancelled then created_at + interval 2 hour end as cancelled_at,
                is_test as test,
                'GBP' as currency,
                amount as total_price,
                first_name as billing_address_first_name,
                last_name as billing_address_last_name,
                company as billing_address_company,
                postcode as billing_address_zip,
                'GB' as billing_address_country_code,
                case when u(oid, 'ophone') < 0.3 then phone end as billing_address_phone,
                is_deleted as _fivetran_deleted
            from orders_base where storefront = 'shopify' order by j"""

        q["bigcommerce", "customer"] = f"""
            select
                100 + k as id,
                case when u(g, 'emailcase') < {mixed} then upper(email) else email end as email,
                first_name, last_name, company,
                {customer_phone} as phone,
                1 + cast(h(g, 'grp') % 3 as integer) as customer_group_id,
                case when is_new then as_of() + to_hours(cast(h(g, 'created') % 160 as integer))
                    else as_of() - to_days(30 + cast(h(g, 'created') % 1400 as integer)) end as date_created,
                case when is_new then as_of() + to_hours(cast(h(g, 'created') % 160 as integer))
                    else as_of() - to_days(1 + cast(h(g, 'updated') % 25 as integer)) end as date_modified,
                {deleted_customer} as _fivetran_deleted
            from people where kind = 'bigcommerce' order by g"""
        q["bigcommerce", "customer_address"] = f"""
            select
                3000000 + k as id,
                100 + k as customer_id,
                company, postcode as postal_code, 'GB' as country_code,
                case when u(g, 'addrphone') < 0.5 then phone end as phone
            from people where kind = 'bigcommerce' order by g"""
        q["bigcommerce", "customer_attribute"] = """
            select * from (values (1, 'VAT Number'), (2, 'Sage Customer ID'), (3, 'Buyer Name'))
                t(id, name) order by id"""
        q["bigcommerce", "customer_attribute_value"] = f"""
            select
                9000000 + k * 2 + m as id,
                100 + k as customer_id,
                m + 1 as attribute_id,
                case when m = 0 then
                    case h(g, 'vatfmt_bc') % 4
                        when 0 then 'GB' || vat_digits
                        when 1 then 'GB ' || substr(vat_digits, 1, 3) || ' ' || substr(vat_digits, 4, 4)
                            || ' ' || substr(vat_digits, 8, 2)
                        when 2 then 'gb-' || substr(vat_digits, 1, 3) || '.' || substr(vat_digits, 4, 3)
                            || '.' || substr(vat_digits, 7, 3)
                        else vat_digits end
                    else ' ' || lower(sage_customerid) end as attribute_value
            from (
                select p.*, sage_id(k.recordno) as sage_customerid
                from people p left join sage_keyed k on k.g = p.g
                where p.kind = 'bigcommerce'
            ), range(2) t(m)
            where (m = 0 and vat_digits is not null)
               or (m = 1 and sage_customerid is not null and u(g, 'acctref') < {r['b2b_account_ref']})
            order by g, m"""
        q["bigcommerce", "orders"] = f"""
            select
                60000000 + j as id,
                case when is_guest then 0 else 100 + ck end as customer_id,
                created_at as date_created,
                case when is_cancelled then pick([5, 6, 0], oid, 'bcst')
                     else pick([10, 10, 11, 2, 9, 3], oid, 'bcok') end as status_id,
                is_deleted or is_test as is_deleted,
                1 as channel_id,
                'GBP' as currency_code,
                amount * 12 as total_inc_tax,
                first_name as billing_address_first_name,
                last_name as billing_address_last_name,
                company as billing_address_company,
                case when is_guest then {guest_email} else {email_variant} end as billing_address_email,
                replace(postcode, ' ', '') as billing_address_zip,
                'GB' as billing_address_country_iso_2,
                case when u(oid, 'ophone') < 0.3 then phone end as billing_address_phone
            from orders_base where storefront = 'bigcommerce' order by j"""

        n_co_all = n_co + self.new["adobe_companies"]
        company_of = (f"cast(h(g, 'company') % case when is_new then {n_co_all} else {n_co} end "
                      "as bigint)")
        q["adobe_commerce", "customer_entity"] = f"""
            select
                1000 + k as entity_id,
                1 as website_id,
                case when u(g, 'emailcase') < {mixed} then upper(email) else email end as email,
                first_name as firstname, last_name as lastname,
                null as taxvat,
                case when is_linked then 2 else 1 end as group_id,
                case when {deleted_customer} then 0 else 1 end as is_active,
                case when is_new then as_of() + to_hours(cast(h(g, 'created') % 160 as integer))
                    else as_of() - to_days(30 + cast(h(g, 'created') % 1400 as integer)) end as created_at,
                case when is_new then as_of() + to_hours(cast(h(g, 'created') % 160 as integer))
                    else as_of() - to_days(1 + cast(h(g, 'updated') % 25 as integer)) end as updated_at
            from people where kind = 'adobe_commerce' order by g"""
        q["adobe_commerce", "customer_address_entity"] = f"""
            select
                5000000 + k as entity_id,
                1000 + k as parent_id,
                company, postcode, 'GB' as country_id,
                case when u(g, 'addrphone') < 0.5 then phone end as telephone,
                null as vat_id
            from people where kind = 'adobe_commerce' order by g"""
        q["adobe_commerce", "company"] = f"""
            select
                1 + p.k as entity_id,
                1 as status,
                p.company as company_name,
                replace(p.company, ' Ltd', ' Limited') as legal_name,
                p.email as company_email,
                case when p.vat_digits is not null then 'GB ' || p.vat_digits end as vat_tax_id,
                case when s.g is not null and u(p.g, 'acctref') < {r['b2b_account_ref']}
                    then sage_id(s.recordno) end as reseller_id,
                p.postcode, 'GB' as country_id, p.phone as telephone
            from people p left join sage_keyed s on s.g = p.g
            where p.kind = 'adobe_company' order by p.g"""
        q["adobe_commerce", "company_advanced_customer_entity"] = f"""
            select
                1000 + k as customer_id,
                1 + {company_of} as company_id
            from people where kind = 'adobe_commerce' and is_linked order by g"""
        q["adobe_commerce", "sales_order"] = f"""
            select
                7000000 + j as entity_id,
                lpad(cast(100000001 + j as varchar), 9, '0') as increment_id,
                case when in_store_2 then 2 else 1 end as store_id,
                case when is_guest then null else 1000 + ck end as customer_id,
                is_guest as customer_is_guest,
                case when is_guest then {guest_email} else {email_variant} end as customer_email,
                first_name as customer_firstname,
                last_name as customer_lastname,
                null as customer_taxvat,
                case when is_cancelled or is_deleted or is_test then 'canceled'
                     else pick(['complete', 'complete', 'processing', 'closed'], oid, 'adst') end as state,
                created_at,
                case when in_store_2 then 'EUR' else 'GBP' end as order_currency_code,
                amount as grand_total
            from orders_base where storefront = 'adobe_commerce' order by j"""
        q["adobe_commerce", "sales_order_address"] = f"""
            select
                20000000 + j * 2 + a as entity_id,
                7000000 + j as parent_id,
                case when a = 0 then 'billing' else 'shipping' end as address_type,
                company, postcode, 'GB' as country_id,
                case when u(oid, 'ophone') < 0.3 then phone end as telephone,
                case when is_guest then {guest_email} else email end as email,
                null as vat_id
            from orders_base, range(2) t(a)
            where storefront = 'adobe_commerce'
            order by j, a"""

        q["sage_intacct", "customer"] = "select * from sage_customer order by recordno"
        q["sage_intacct", "sodocument"] = f"""
            select
                row_number() over (order by o.oid) as recordno,
                'Sales Order-SO' || lpad(cast(row_number() over (order by o.oid) as varchar), 8, '0') as docid,
                coalesce(k.customerid, 'WEBSALES') as custvendid,
                case o.storefront
                    when 'shopify' then
                        case when h(o.oid, 'pofmt') % 3 = 0 then cast(1001 + o.j as varchar)
                             else '#' || cast(1001 + o.j as varchar) end
                    when 'bigcommerce' then cast(60000000 + o.j as varchar)
                    else lpad(cast(100000001 + o.j as varchar), 9, '0') || ' ' end as ponumber,
                case when o.storefront = 'adobe_commerce' and o.in_store_2 then 'IE01' else 'UK01' end
                    as megaentityid,
                date_trunc('day', o.created_at) + interval 1 day + interval 3 hour as whencreated,
                pick(['Closed', 'Converted', 'Pending'], o.oid, 'sost') as state,
                false as _fivetran_deleted
            from orders_base o
            left join (
                select g, sage_id(recordno) as customerid
                from sage_keyed
            ) k on k.g = case when o.is_guest then null else o.sage_g end
            where o.created_at > eval_as_of() - interval {int(r['sodocument_days'])} day
              and date_trunc('day', o.created_at) + interval 1 day + interval 3 hour
                  <= last_sync()
              and not (o.is_cancelled or o.is_test or o.is_deleted)
            order by o.oid"""
        return q
