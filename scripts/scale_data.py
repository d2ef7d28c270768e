"""Scale data: a large, realistic merchant in the contract's raw layout, built by DuckDB.

Used by ``generate_demo_data.py --scale N`` (and by ``scripts/benchmark.py``). Reference
scale R1 (``--scale 1``) is 1,000,000 storefront customers (Shopify 800k, BigCommerce
100k, Adobe Commerce 100k of which 30 % order for one of 10k companies), 10,000,000
orders over two years, 500,000 Sage customer rows and two Sage entities (UK01, IE01).
Every count scales linearly with N (R0.1, R10 ...).

Unlike the demo, nothing here is an expected answer: the data is drawn, row by row, from
seeded hashes of the row number, so the same seed and scale give the same rows (and the
same marts) on any machine, at any thread count. The rates of the traps are set in
``RATES`` below and printed in the dataset's README:

* most ordering customers are in the Sage master (matched on VAT number, account
  reference or e-mail, in varied formats and cases); a long tail of occasional buyers is
  not, and their orders post to the WEBSALES holding customer;
* returning customers whose Sage record has an old e-mail (same phone, or same postcode
  and name), inactive and deleted Sage rows, top-level rows restricted to the root
  (``RootOnly``), rows that live only in the other entity, B2B accounts without a VAT
  number on either side, guests, cancelled / test / deleted orders, placeholder phones,
  orders after the evaluation time and orders after the last Sage sync.

The entity field map of this merchant (Shopify, BigCommerce and Adobe store 1 post to
UK01; Adobe store 2 to IE01) is written to ``<out>/seeds/storefronts.csv``; a run on this
data uses it in place of the project's single-entity seed (see scripts/benchmark.py).

Files: ``<out>/<source>/<table>.parquet`` (typed columns, as a warehouse connector lands
them) or ``.csv`` (text, as exported), with exactly the columns of scripts/raw_tables.py.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from raw_tables import RAW_TABLES  # noqa: E402

GAP_AS_OF = "2026-04-14 09:00:00"
SAGE_LAST_SYNC = "2026-04-14 03:00:00"
HISTORY_DAYS = 730
SCALE_DATASET_VERSION = 2

# Reference sizes at R1; every one is multiplied by the scale.
SIZES_R1 = {
    "shopify_customers": 800_000,
    "bigcommerce_customers": 100_000,
    "adobe_customers": 100_000,
    "adobe_companies": 10_000,
    "shopify_orders": 8_000_000,
    "bigcommerce_orders": 1_000_000,
    "adobe_orders": 1_000_000,
    "sage_customers": 500_000,
}

# Rates of the population and of the traps (fractions).
RATES = {
    "core_customers": 0.45,          # share of each storefront's customers that buy often
    "core_order_share": 0.94,        # share of orders placed by those customers
    "core_in_sage": 0.985,           # core customers with a Sage record
    "tail_in_sage": 0.02,            # occasional buyers with a Sage record
    "shopify_wholesale": 0.01,       # Shopify customers tagged wholesale (B2B)
    "adobe_linked_to_company": 0.30, # Adobe customers ordering for a company
    "adobe_store_2": 0.30,           # Adobe orders placed in store 2 (entity IE01)
    "guest_orders": 0.04,            # orders placed as guest
    "guest_is_known_customer": 0.5,  # guests using the e-mail of a customer record
    "cancelled_orders": 0.02,
    "test_orders": 0.0005,
    "deleted_orders": 0.001,
    "orders_after_as_of": 0.002,     # created after gap_as_of: not there for the evaluation
    "email_changed": 0.015,          # Sage has an old e-mail, same phone
    "email_changed_postcode": 0.005, # Sage has an old e-mail and phone, same postcode and name
    "sage_inactive": 0.01,
    "sage_deleted": 0.003,
    "sage_root_only": 0.01,          # top-level rows restricted to the root entity
    "sage_in_uk_entity": 0.15,       # rows owned by UK01 (else top level, a few IE01)
    "sage_in_ie_entity": 0.05,
    "b2b_without_vat": 0.10,         # B2B storefront records without a VAT number
    "sage_b2b_without_vat": 0.03,
    "b2b_account_ref": 0.60,         # B2B records carrying the Sage customer id
    "placeholder_phone": 0.01,
    "mixed_case_email": 0.05,
    "storefront_deleted_customers": 0.002,
    "sodocument_days": 60,           # Sage sales documents exist for the last N days
}

FIRST_NAMES = [
    "Amelia", "Olivia", "Isla", "Ava", "Emily", "Sophie", "Grace", "Lily", "Freya", "Ella",
    "Chloé", "Zoë", "Hannah", "Lucy", "Evie", "Imogen", "Niamh", "Siân", "Rebecca", "Laura",
    "Charlotte", "Harriet", "Eleanor", "Beatrice", "Renée", "Fatima", "Mei", "Anya",
    "Joanna", "Claire", "Oliver", "George", "Harry", "Jack", "Jacob", "Charlie", "Thomas",
    "Oscar", "William", "James", "Alfie", "Joshua", "Henry", "Leo", "Archie", "Ethan",
    "Samuel", "Joseph", "Seán", "Rhys", "Callum", "Connor", "Ibrahim", "Yusuf", "Ravi",
    "Arjun", "Tomasz", "Luca", "Matteo", "Kwame", "Declan", "Fraser", "Gareth", "Owen",
]
LAST_NAMES = [
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies",
    "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green",
    "Hall", "Wood", "Jackson", "Clarke", "Turner", "Hill", "Cooper", "Ward", "Morris",
    "Moore", "King", "Watson", "Harrison", "Morgan", "Baker", "Young", "Allen", "Mitchell",
    "Anderson", "Campbell", "Kelly", "Murphy", "O'Brien", "MacDonald", "Reid", "Ahmed",
    "Hussain", "Begum", "Shah", "Singh", "Kaur", "Chen", "Wong", "Kowalski", "Nowicki",
    "Rossi", "Mensah", "Okafor", "Fitzgerald", "Lloyd", "Price", "Hughes-Lewis", "Bennett",
]
EMAIL_DOMAINS = [
    "gmail.com", "outlook.com", "hotmail.co.uk", "yahoo.co.uk", "btinternet.com",
    "icloud.com", "sky.com", "live.co.uk", "protonmail.com", "virginmedia.com",
]
SYLLABLES = [
    "ash", "bram", "cop", "dun", "elm", "fox", "grey", "hol", "iron", "jun", "kings",
    "lark", "mar", "neth", "oak", "pen", "red", "salt", "thorn", "wes", "yard", "cal",
    "brook", "ford", "ley", "ton", "by", "mere", "wick", "stead",
]
SECTORS = [
    "Engineering", "Catering Supplies", "Hardware", "Builders Merchants", "Packaging",
    "Print", "Electrical", "Wholesale", "Garden Centre", "Textiles", "Foods", "Logistics",
    "Office Supplies", "Hospitality", "Pharmacy", "Florists",
]
COMPANY_SUFFIXES = ["Ltd", "Limited", "Ltd", "LLP", "& Co", "plc", "Ltd"]
POSTCODE_OUTWARDS = [
    "LS1", "LS6", "M4", "M20", "B15", "B13", "BS8", "BS3", "EH3", "EH10", "G12", "G41",
    "CF10", "CF24", "NE1", "NE6", "S10", "S11", "NG7", "RG1", "OX2", "OX4", "CB2", "BN1",
    "BN3", "YO1", "YO10", "L8", "L17", "SW11", "N16", "E8", "SE15", "W4", "NW3", "BT9",
    "AB10", "PL4", "EX4", "CH2", "LE2", "DE1", "HU5", "TR1", "IP4", "NR2",
]
PLACEHOLDER_PHONES = ["00000000000", "07000000000", "0", "n/a"]


def sql_list(values: list[str]) -> str:
    return "[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def sizes_for(scale: float) -> dict[str, int]:
    return {name: max(1, int(round(n * scale))) for name, n in SIZES_R1.items()}


KIND_BASE = 10**12  # row number space of each kind, so an increment never shifts a base row
KINDS = ("shopify", "bigcommerce", "adobe_commerce", "adobe_company")
INCREMENT_DAYS = 7
NEW_CUSTOMER_ORDER_SHARE = 0.10  # of the increment's orders, placed by new customers
NEW_CUSTOMER_IN_SAGE = 0.10      # new customers the Sage sync has already created


class ScaleBuilder:
    """Builds the scale tables in one DuckDB connection and writes them out.

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


def generate_scale(out: Path, scale: float, seed: int, fmt: str = "parquet",
                   threads: int | None = None, memory_limit: str | None = None,
                   log=print, increment: float = 0.0) -> dict[tuple[str, str], int]:
    """Write the scale dataset to ``out`` (with ``increment`` > 0: the base dataset plus
    that fraction of new customers and orders, one week later); returns row counts."""
    try:
        import duckdb
    except ImportError:  # pragma: no cover - message for a plain python3
        raise SystemExit(
            "--scale needs the duckdb package: run it with the project's virtual "
            "environment (make setup; .venv/bin/python scripts/generate_demo_data.py ...)")
    if fmt not in ("parquet", "csv"):
        raise SystemExit(f"--format must be parquet or csv, not {fmt!r}")
    if scale <= 0:
        raise SystemExit(f"--scale must be positive, not {scale}")
    out.mkdir(parents=True, exist_ok=True)
    spill = out / ".generator_tmp"
    con = duckdb.connect()
    settings = {"TimeZone": "UTC", "temp_directory": str(spill),
                "preserve_insertion_order": "true"}
    if threads:
        settings["threads"] = str(threads)
    if memory_limit:
        settings["memory_limit"] = memory_limit
    for key, value in settings.items():
        con.execute(f"set {key} = '{value}'")
    started = time.perf_counter()
    if increment < 0 or increment > 1:
        raise SystemExit(f"--increment must be a fraction between 0 and 1, not {increment}")
    builder = ScaleBuilder(con, scale, seed, log, increment)
    label = f"R{scale:g}" + (f" + {increment:g} increment" if increment else "")
    log(f"Scale dataset {label} (seed {seed}, {fmt}) -> {out}")
    builder.define_macros()
    builder.build_people()
    builder.build_sage_customers()
    builder.build_orders()
    builder.adobe_linked_fixup()
    counts: dict[tuple[str, str], int] = {}
    queries = builder.table_queries()
    for source, tables in RAW_TABLES.items():
        (out / source).mkdir(parents=True, exist_ok=True)
        for table, columns in tables.items():
            query = queries[source, table]
            column_list = select_list(con, query, columns, fmt)
            path = out / source / f"{table}.{fmt}"
            other = out / source / f"{table}.{'csv' if fmt == 'parquet' else 'parquet'}"
            if other.exists():
                other.unlink()
            options = ("format parquet, compression zstd, row_group_size 1000000" if fmt == "parquet"
                       else "format csv, header true, timestampformat '%Y-%m-%dT%H:%M:%SZ'")
            t0 = time.perf_counter()
            con.execute(f"copy (select {column_list} from ({query})) to '{path}' ({options})")
            n = con.execute(
                f"select count(*) from {'read_parquet' if fmt == 'parquet' else 'read_csv'}('{path}')"
            ).fetchone()[0]
            counts[source, table] = n
            log(f"  {source + '.' + table:<44} {time.perf_counter() - t0:6.1f} s  {n:>12,} rows")
    write_field_map(out)
    write_manifest(out, scale, seed, fmt, counts, increment, builder.shift_days)
    con.close()
    if spill.exists():
        for f in spill.iterdir():
            f.unlink()
        spill.rmdir()
    log(f"Done in {time.perf_counter() - started:.1f} s: {sum(counts.values()):,} rows.")
    return counts


def select_list(con, query: str, columns: list[str], fmt: str) -> str:
    """The table's columns in contract order. Timestamps are built in UTC without a time
    zone (fast arithmetic); Parquet stores them as timestamptz, as a connector lands
    them, and CSV writes them as ISO-8601 with a Z."""
    types = dict(con.execute(f"select column_name, column_type from (describe {query})").fetchall())
    items = []
    for column in columns:
        name = f'"{column}"'
        if types.get(column) == "TIMESTAMP" and fmt == "parquet":
            items.append(f"cast({name} as timestamptz) as {name}")
        else:
            items.append(name)
    return ", ".join(items)


def write_field_map(out: Path) -> None:
    seeds = out / "seeds"
    seeds.mkdir(exist_ok=True)
    (seeds / "storefronts.csv").write_text(
        "storefront,store_key,entity_id,default_customer_type\n"
        "shopify,*,UK01,dtc\n"
        "bigcommerce,*,UK01,b2b\n"
        "adobe_commerce,*,UK01,dtc\n"
        "adobe_commerce,2,IE01,dtc\n")


def write_manifest(out: Path, scale: float, seed: int, fmt: str,
                   counts: dict[tuple[str, str], int], increment: float = 0.0,
                   shift_days: int = 0) -> None:
    from datetime import datetime, timedelta
    as_of = datetime.fromisoformat(GAP_AS_OF) + timedelta(days=shift_days)
    manifest = {
        "version": SCALE_DATASET_VERSION,
        "scale": scale,
        "seed": seed,
        "format": fmt,
        "increment": increment,
        "gap_as_of": as_of.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "sizes": sizes_for(scale),
        "rates": RATES,
        "rows": {f"{s}.{t}": n for (s, t), n in counts.items()},
    }
    (out / "dataset.json").write_text(json.dumps(manifest, indent=2) + "\n")
    flag = f" --increment {increment:g}" if increment else ""
    what = (f"R{scale:g} plus {increment:g} of its customers and orders as new data one week later"
            if increment else f"R{scale:g}")
    lines = [
        f"# Scale dataset {what}",
        "",
        f"Generated by `scripts/generate_demo_data.py --scale {scale:g} --seed {seed} "
        f"--format {fmt}{flag}`; evaluate at gap_as_of = {manifest['gap_as_of']}, with the field "
        "map in `seeds/storefronts.csv` (two Sage entities, UK01 and IE01).",
        "",
        "| table | rows |",
        "|---|---:|",
    ]
    lines += [f"| {s}.{t} | {n:,} |" for (s, t), n in counts.items()]
    lines += ["", "Rates of the population and of the traps:", ""]
    lines += [f"- {k}: {v}" for k, v in RATES.items()]
    (out / "README.md").write_text("\n".join(lines) + "\n")
