"""The scale dataset's population, built in DuckDB: people, Sage customers and orders,
each drawn from seeded hashes of the row number."""

from __future__ import annotations

import time

from .scale_settings import (
    COMPANY_SUFFIXES,
    EMAIL_DOMAINS,
    FIRST_NAMES,
    GAP_AS_OF,
    HISTORY_DAYS,
    INCREMENT_DAYS,
    KIND_BASE,
    LAST_NAMES,
    NEW_CUSTOMER_IN_SAGE,
    NEW_CUSTOMER_ORDER_SHARE,
    POSTCODE_OUTWARDS,
    RATES,
    SAGE_LAST_SYNC,
    SECTORS,
    SYLLABLES,
    sizes_for,
    sql_list,
)


class ScalePopulation:
    """Builds the scale population in one DuckDB connection (scale_tables.py reads it out).

    With ``increment`` > 0 the dataset is the base dataset one week later: every base
    row is kept as it is (row numbers live in fixed ranges per kind and storefront, so
    the seeded hashes do not move), ``increment`` x the base customers and orders are
    added (the new orders fall in the week after the base evaluation time), the new
    customers the Sage sync has already created get Sage rows, and the evaluation
    time, the last Sage sync and the Sage sales documents move on by the week.
    """

    def __init__(self, con, scale: float, seed: int, log, increment: float = 0.0) -> None:
        self.con = con
        self.scale = scale
        self.seed = seed
        self.sizes = sizes_for(scale)
        self.increment = increment
        self.new = {name: int(round(n * increment)) for name, n in self.sizes.items()}
        self.shift_days = INCREMENT_DAYS if increment > 0 else 0
        self.log = log

    def run(self, label: str, sql: str) -> None:
        started = time.perf_counter()
        self.con.execute(sql)
        self.log(f"  {label:<44} {time.perf_counter() - started:6.1f} s")

    # ----------------------------------------------------------------------------------
    def define_macros(self) -> None:
        s = self.seed
        self.con.execute(f"""
            create or replace macro h(i, salt) as hash(i, salt, {s});
            create or replace macro u(i, salt) as (hash(i, salt, {s}) % 1000000007) / 1000000007.0;
            create or replace macro pick(xs, i, salt) as xs[1 + (hash(i, salt, {s}) % len(xs))::bigint];
            create or replace macro digits(i, salt, n) as
                lpad(cast(hash(i, salt, {s}) % cast(pow(10, n) as ubigint) as varchar), n, '0');
            create or replace macro sage_id(recordno) as 'C' || lpad(cast(recordno as varchar), 7, '0');
            create or replace macro as_of() as timestamp '{GAP_AS_OF}';
            create or replace macro eval_as_of() as
                timestamp '{GAP_AS_OF}' + to_days({self.shift_days});
            create or replace macro last_sync() as
                timestamp '{SAGE_LAST_SYNC}' + to_days({self.shift_days});
        """)

    def build_people(self) -> None:
        """One row per storefront customer record (Adobe companies included), with the
        identity its Sage record (if any) was keyed from."""
        z = self.sizes
        r = RATES
        n_sh, n_bc, n_ad, n_co = (z["shopify_customers"], z["bigcommerce_customers"],
                                  z["adobe_customers"], z["adobe_companies"])
        first, last = sql_list(FIRST_NAMES), sql_list(LAST_NAMES)
        people_ranges = " union all ".join(
            f"select {i} * {KIND_BASE} + k as g, '{kind}' as kind, k, {n} as n, "
            f"k >= {n} as is_new from range({n + n_new}) t(k)"
            for i, (kind, n, n_new) in enumerate([
                ("shopify", n_sh, self.new["shopify_customers"]),
                ("bigcommerce", n_bc, self.new["bigcommerce_customers"]),
                ("adobe_commerce", n_ad, self.new["adobe_customers"]),
                ("adobe_company", n_co, self.new["adobe_companies"]),
            ]))
        self.run("customers (people and companies)", f"""
            create or replace table people as
            with base as (
                {people_ranges}
            ),
            typed as (
                select
                    *,
                    not is_new and k < n * {r['core_customers']} as is_core,
                    case kind
                        when 'bigcommerce' then true
                        when 'adobe_company' then true
                        when 'shopify' then u(g, 'wholesale') < {r['shopify_wholesale']}
                        else false end as is_b2b,
                    kind = 'adobe_commerce' and u(g, 'link') < {r['adobe_linked_to_company']}
                        as is_linked,
                    pick({first}, g, 'first') as first_name,
                    pick({last}, g, 'last') as last_name
                from base
            )
            select
                *,
                u(g, 'known') < case
                    when is_new then {NEW_CUSTOMER_IN_SAGE}
                    when is_core then {r['core_in_sage']}
                    else {r['tail_in_sage']} end
                    and not is_linked as in_sage,
                case when kind = 'adobe_company' then 'accounts' || cast(k as varchar) || '@'
                        || pick({sql_list(SYLLABLES)}, g, 's1') || pick({sql_list(SYLLABLES)}, g, 's2')
                        || '-trade.co.uk'
                    else lower(strip_accents(replace(first_name, '''', ''))) || '.'
                        || lower(strip_accents(replace(replace(last_name, '''', ''), '-', '')))
                        || cast(cast(g // {KIND_BASE} as bigint) * 100000000 + k as varchar) || '@'
                        || pick({sql_list(EMAIL_DOMAINS)}, g, 'dom')
                end as email,
                '07' || digits(g, 'phone', 9) as phone,
                pick({sql_list(POSTCODE_OUTWARDS)}, g, 'pco') || ' '
                    || cast(h(g, 'pci') % 10 as varchar)
                    || pick(['A','B','D','E','F','G','H','J','L','N','P','Q','R','S','T','U','W','X','Y','Z'], g, 'pl1')
                    || pick(['A','B','D','E','F','G','H','J','L','N','P','Q','R','S','T','U','W','X','Y','Z'], g, 'pl2')
                    as postcode,
                case when is_b2b then
                    upper(left(pick({sql_list(SYLLABLES)}, g, 's1'), 1))
                    || substr(pick({sql_list(SYLLABLES)}, g, 's1'), 2)
                    || pick({sql_list(SYLLABLES)}, g, 's2') || pick({sql_list(SYLLABLES)}, g, 's3')
                    || ' ' || pick({sql_list(SECTORS)}, g, 'sector')
                    || ' ' || pick({sql_list(COMPANY_SUFFIXES)}, g, 'suffix')
                end as company,
                case when is_b2b and u(g, 'novat') >= {r['b2b_without_vat']}
                    then digits(g, 'vat', 9) end as vat_digits,
                u(g, 'emailchg') as email_change_draw
            from typed
        """)

    def build_sage_customers(self) -> None:
        z = self.sizes
        r = RATES
        n_sage = z["sage_customers"]
        # Base customers' rows first (1..known), then the offline customers, then the
        # rows the sync created for new customers: an increment never renumbers a row.
        known = self.con.execute(
            "select count(*) from people where in_sage and not is_new").fetchone()[0]
        offline = max(n_sage - known - 1, 0)
        self.run("Sage customer rows", f"""
            create or replace table sage_keyed as
            select
                case when is_new then {known + offline} else 0 end
                    + row_number() over (partition by is_new order by g) as recordno,
                p.*
            from people p
            where in_sage
        """)
        first, last = sql_list(FIRST_NAMES), sql_list(LAST_NAMES)
        ec, ecp = r["email_changed"], r["email_changed"] + r["email_changed_postcode"]
        self.run("Sage customer table", f"""
            create or replace table sage_customer as
            with keyed as (
                select
                    recordno,
                    sage_id(recordno) as customerid,
                    is_b2b,
                    g,
                    first_name, last_name, company, postcode, vat_digits,
                    case
                        when not is_b2b and email_change_draw < {ecp}
                            then replace(email, '@', '.old@')
                        when h(g, 'sagecase') % 10 = 0 then upper(email)
                        else email end as email,
                    case
                        when not is_b2b and email_change_draw >= {ec} and email_change_draw < {ecp}
                            then '07' || digits(g, 'oldphone', 9)
                        else phone end as phone
                from sage_keyed
            ),
            offline as (
                select
                    {known} + i + 1 as recordno,
                    sage_id({known} + i + 1) as customerid,
                    u(i, 'off_b2b') < 0.3 as is_b2b,
                    -1 - i as g,
                    pick({first}, i, 'off_first') as first_name,
                    pick({last}, i, 'off_last') as last_name,
                    'Offline ' || cast(i as varchar) || ' Trading Ltd' as company,
                    pick({sql_list(POSTCODE_OUTWARDS)}, i, 'off_pc') || ' 1AA' as postcode,
                    digits(i, 'off_vat', 9) as vat_digits,
                    'trade' || cast(i as varchar) || '@offline-accounts.co.uk' as email,
                    '01' || digits(i, 'off_phone', 9) as phone
                from range({offline}) t(i)
            ),
            allrows as (
                select * from keyed
                union all
                select * from offline
            )
            select
                cast(recordno as bigint) as recordno,
                customerid,
                case when is_b2b then company else first_name || ' ' || last_name end as name,
                case
                    when u(g, 'inactive') < {r['sage_inactive']} then
                        pick(['inactive', 'Inactive', 'INACTIVE'], g, 'inactive_case')
                    else pick(['active', 'active', 'Active'], g, 'active_case') end as status,
                case
                    when u(g, 'entity') < {r['sage_in_uk_entity']} then 'UK01'
                    when u(g, 'entity') < {r['sage_in_uk_entity'] + r['sage_in_ie_entity']} then 'IE01'
                end as megaentityid,
                case when u(g, 'root') < {r['sage_root_only']} then 'RootOnly' else 'Unrestricted' end
                    as objectrestriction,
                case
                    when not is_b2b or vat_digits is null then null
                    when u(g, 'sagenovat') < {r['sage_b2b_without_vat']} then null
                    when h(g, 'vatfmt') % 3 = 0 then vat_digits
                    else 'GB' || vat_digits end as taxid,
                null as displaycontact_taxid,
                email as displaycontact_email_1,
                null as displaycontact_email_2,
                case when u(g, 'sagephone') < 0.8 then phone end as displaycontact_phone_1,
                case when u(g, 'sagephone') >= 0.8 then phone end as displaycontact_cellphone,
                first_name as displaycontact_firstname,
                last_name as displaycontact_lastname,
                company as displaycontact_companyname,
                postcode as displaycontact_mailaddress_zip,
                'GB' as displaycontact_mailaddress_countrycode,
                case when recordno > {known + offline}
                    then as_of() + to_hours(cast(h(g, 'sagecreated') % 160 as integer))
                    else as_of() - to_days(400 + cast(h(g, 'sagecreated') % 1500 as integer))
                end as whencreated,
                case when recordno > {known + offline}
                    then as_of() + to_hours(cast(h(g, 'sagecreated') % 160 as integer))
                    else as_of() - to_days(2 + cast(h(g, 'sagemod') % 300 as integer))
                end as whenmodified,
                case when recordno > {known + offline} then last_sync()
                    else timestamp '{SAGE_LAST_SYNC}' - to_days(cast(h(g, 'sagesync') % 2 as integer))
                end as _fivetran_synced,
                u(g, 'sagedel') < {r['sage_deleted']} as _fivetran_deleted
            from allrows
            union all
            select
                0, 'WEBSALES', 'Web Sales (holding)', 'active', null, 'Unrestricted', null, null,
                'websales@merchant.example', null, null, null, null, null, 'Web Sales',
                null, 'GB', timestamp '2019-01-01 00:00:00', timestamp '2019-01-01 00:00:00',
                last_sync(), false
        """)

    def build_orders(self) -> None:
        """All orders of the three storefronts in one table, before formatting."""
        z = self.sizes
        r = RATES
        parts = []
        specs = [
            (0, "shopify", "shopify_orders", "shopify_customers"),
            (1, "bigcommerce", "bigcommerce_orders", "bigcommerce_customers"),
            (2, "adobe_commerce", "adobe_orders", "adobe_customers"),
        ]
        for idx, storefront, orders_name, customers_name in specs:
            n_orders, n_customers = z[orders_name], z[customers_name]
            new_orders, new_customers = self.new[orders_name], self.new[customers_name]
            core = int(n_customers * r["core_customers"])
            # Base orders: 94 % from the core customers (skewed), the rest from the tail.
            # Increment orders (j >= n_orders): a share from the new customers.
            existing = f"""case
                        when u(oid, 'seg') < {r['core_order_share']}
                            then cast(floor(pow(u(oid, 'ck'), 1.5) * {core}) as bigint)
                        else {core} + cast(floor(u(oid, 'tk') * {n_customers - core}) as bigint)
                    end"""
            newcomer = (f"{n_customers} + cast(floor(u(oid, 'nk') * {new_customers}) as bigint)"
                        if new_customers else existing)
            parts.append(f"""
                select
                    '{storefront}' as storefront,
                    j,
                    oid,
                    j >= {n_orders} as is_new,
                    {idx} * {KIND_BASE} + case
                        when j >= {n_orders} and u(oid, 'newcust') < {NEW_CUSTOMER_ORDER_SHARE}
                            then {newcomer}
                        else {existing}
                    end as g
                from (select j, {idx} * {KIND_BASE} + j as oid
                      from range({n_orders + new_orders}) t(j))
            """)
        self.run("orders (who ordered when)", f"""
            create or replace table orders_base as
            with o as ({' union all '.join(parts)})
            select
                o.storefront, o.j, o.oid, o.g, o.g as sage_g, p.k as ck, p.is_new as customer_is_new,
                case
                    when o.is_new
                        then as_of() + to_minutes(1 + cast(floor(u(oid, 'when') * {INCREMENT_DAYS * 1440 - 1}) as integer))
                    when u(oid, 'after') < {r['orders_after_as_of']}
                        then as_of() + to_minutes(1 + cast(h(oid, 'aftermin') % 2880 as integer))
                    else as_of() - to_minutes(cast(floor(u(oid, 'when') * {HISTORY_DAYS * 1440}) as integer))
                end as created_at,
                u(oid, 'guest') < {r['guest_orders']} as is_guest,
                u(oid, 'guestknown') < {r['guest_is_known_customer']} as guest_uses_customer_email,
                u(oid, 'cancel') < {r['cancelled_orders']} as is_cancelled,
                u(oid, 'test') < {r['test_orders']} as is_test,
                u(oid, 'del') < {r['deleted_orders']} as is_deleted,
                u(oid, 'store2') < {r['adobe_store_2']} as in_store_2,
                cast(500 + h(oid, 'amount') % 25000 as decimal(18, 2)) / 100 as amount,
                p.email, p.first_name, p.last_name, p.company, p.postcode, p.phone, p.vat_digits,
                p.is_b2b, p.is_linked
            from o
            join people p on p.g = o.g
        """)


    def adobe_linked_fixup(self) -> None:
        """Orders of customers linked to a company carry the company's identity: the
        company (not the person) is what Sage knows, so point those orders' B2B fields
        at the company row."""
        n_co = self.sizes["adobe_companies"]
        n_co_all = n_co + self.new["adobe_companies"]
        self.run("Adobe company orders", f"""
            update orders_base o set
                company = c.company, vat_digits = c.vat_digits, is_b2b = true, sage_g = c.g
            from people c
            where o.is_linked
              and c.g = 3 * {KIND_BASE} + cast(h(o.g, 'company')
                  % case when o.customer_is_new then {n_co_all} else {n_co} end as bigint)
        """)
