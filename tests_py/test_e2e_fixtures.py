"""End-to-end tests: small purpose-made raw data -> dbt build -> the published marts.

Each module-scoped fixture below writes a few rows per scenario (only the columns the
scenario needs; see e2e_support.RawData), builds a private copy of the project on its
own DuckDB file, and the tests read the marts. Scenarios that cannot interfere (distinct
customers, emails, VAT numbers, phones, postcodes) share one build to keep the number
of dbt invocations small. Every expected number is computed by hand from the contract
(the metric contract, spec/metric-contract.md in the shared folder) and the comment next to it says why.

Five datasets (multi_entity, sage_master, identity, fuzzy, swapped) are written by a
plain function, `<name>_inputs()`, that returns build_fixture's keyword arguments (data,
and vars / seeds where the fixture sets them): the fixture builds them on DuckDB, and
tests_spark/fixture_parity.py builds the same inputs on Spark and DuckDB and compares.

Evaluation instant everywhere: gap_as_of = 2026-04-14T09:00:00Z, 7-day window, so an
order is in the window when 2026-04-07T09:00:00Z < created_at <= 2026-04-14T09:00:00Z.
"""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal

import pytest

from e2e_support import Built, RawData, build_fixture

IN_WINDOW = "2026-04-10T10:00:00Z"  # comfortably inside the window, before every sync below
BEFORE_WINDOW = "2026-03-01T10:00:00Z"
SYNCED = "2026-04-14T02:00:00Z"  # the overnight Sage sync of most fixtures

COHORTS = [
    "inactive_in_sage",
    "b2b_vat_not_keyed",
    "b2b_new_account",
    "dtc_returning_email_changed",
    "dtc_new",
    "dtc_returning_unmatched",
]
REASONS = [
    "match_key_choice",
    "generic_holding_customer",
    "sync_timing",
    "duplicate_email_merge",
    "b2b_vs_dtc_scope",
    "multi_entity_master",
    "inactive_customer_records",
]


# --------------------------------------------------------------------------------------
# Row helpers (every column not named stays empty)
# --------------------------------------------------------------------------------------

def sage_customer(data: RawData, recordno, customerid, status="active", synced=SYNCED, deleted=False, **cols):
    data.add(
        "sage_intacct", "customer",
        recordno=recordno, customerid=customerid, status=status,
        _fivetran_synced=synced, _fivetran_deleted=deleted, **cols,
    )


def sodocument(data: RawData, recordno, custvendid, ponumber, deleted=False, **cols):
    data.add(
        "sage_intacct", "sodocument",
        recordno=recordno, docid=f"SO-{recordno}", custvendid=custvendid, ponumber=ponumber,
        whencreated=IN_WINDOW, state="Pending", _fivetran_deleted=deleted, **cols,
    )


def shopify_customer(data: RawData, id, email=None, tags=(), vat=None, account_ref=None,
                     deleted=False, zip=None, address_phone=None, **cols):
    data.add("shopify", "customer", id=id, email=email, state="enabled", _fivetran_deleted=deleted, **cols)
    for index, tag in enumerate(tags):
        data.add("shopify", "customer_tag", customer_id=id, index=index, value=tag)
    if vat is not None:
        data.add("shopify", "metafield", id=f"{id}01", owner_id=id, owner_resource="customer",
                 namespace="custom", key="vat_number", value=vat)
    if account_ref is not None:
        data.add("shopify", "metafield", id=f"{id}02", owner_id=id, owner_resource="customer",
                 namespace="custom", key="sage_customer_id", value=account_ref)
    if zip is not None or address_phone is not None:
        data.add("shopify", "customer_address", id=f"{id}1", customer_id=id, zip=zip,
                 phone=address_phone, country_code="GB", is_default="true")


def shopify_order(data: RawData, id, customer_id=None, created_at=IN_WINDOW, name=None, total="10.00", **cols):
    cols.setdefault("test", "false")
    data.add("shopify", "order", id=id, name=name or f"#{id}", customer_id=customer_id,
             created_at=created_at, currency="GBP", total_price=total, **cols)


def bc_attributes(data: RawData):
    data.add("bigcommerce", "customer_attribute", id=1, name="VAT Number")
    data.add("bigcommerce", "customer_attribute", id=2, name="Sage Customer ID")


def bc_customer(data: RawData, id, email=None, vat=None, account_ref=None, **cols):
    data.add("bigcommerce", "customer", id=id, email=email, _fivetran_deleted="false", **cols)
    if vat is not None:
        data.add("bigcommerce", "customer_attribute_value", id=f"{id}1", customer_id=id, attribute_id=1,
                 attribute_value=vat)
    if account_ref is not None:
        data.add("bigcommerce", "customer_attribute_value", id=f"{id}2", customer_id=id, attribute_id=2,
                 attribute_value=account_ref)


def bc_order(data: RawData, id, customer_id, created_at=IN_WINDOW, status_id=11, channel_id=1,
             total="100.00", is_deleted="false", **cols):
    data.add("bigcommerce", "orders", id=id, customer_id=customer_id, date_created=created_at,
             status_id=status_id, is_deleted=is_deleted, channel_id=channel_id, currency_code="GBP",
             total_inc_tax=total, **cols)


def adobe_customer(data: RawData, entity_id, email=None, **cols):
    data.add("adobe_commerce", "customer_entity", entity_id=entity_id, website_id=1, email=email,
             is_active=1, **cols)


def adobe_order(data: RawData, entity_id, customer_id=None, created_at=IN_WINDOW, guest=False,
                state="processing", store_id=1, total="20.00", **cols):
    data.add("adobe_commerce", "sales_order", entity_id=entity_id, increment_id=f"00000{entity_id}",
             store_id=store_id, customer_id=customer_id, customer_is_guest=guest, state=state,
             created_at=created_at, order_currency_code="GBP", grand_total=total, **cols)


# --------------------------------------------------------------------------------------
# Mart readers
# --------------------------------------------------------------------------------------

def headline(built: Built) -> dict:
    """ecom_sage_customer_gap keyed by entity_id."""
    rows = built.query("select * from ecom_sage_customer_gap")
    by_entity = {row["entity_id"]: row for row in rows}
    assert len(by_entity) == len(rows), "one row per entity_id"
    return by_entity


def cohorts(built: Built) -> dict:
    """ecom_sage_customer_gap_cohorts keyed by (entity_id, cohort)."""
    return {(row["entity_id"], row["cohort"]): row for row in built.query("select * from ecom_sage_customer_gap_cohorts")}


def customers(built: Built, entity_id=None) -> dict:
    """ecom_sage_customer_gap_customers of one entity, keyed by customer_key."""
    rows = built.query(
        "select * from ecom_sage_customer_gap_customers where entity_id is not distinct from ?", [entity_id]
    )
    return {row["customer_key"]: row for row in rows}


def orders(built: Built, entity_id=None) -> dict:
    """ecom_sage_customer_gap_orders of one entity, keyed by (storefront, order_id)."""
    rows = built.query(
        "select * from ecom_sage_customer_gap_orders where entity_id is not distinct from ?", [entity_id]
    )
    return {(row["storefront"], row["order_id"]): row for row in rows}


def reconciliation(built: Built) -> dict:
    """ecom_sage_customer_gap_reconciliation keyed by (entity_id, reason)."""
    return {
        (row["entity_id"], row["reason"]): row
        for row in built.query("select * from ecom_sage_customer_gap_reconciliation")
    }


def matched(built: Built, customer_key, entity_id=None) -> dict:
    rows = built.query(
        "select * from int_ecom_customers_matched_to_sage "
        "where customer_key = ? and entity_id is not distinct from ?",
        [customer_key, entity_id],
    )
    assert len(rows) == 1, f"{customer_key} evaluated once in {entity_id}: {rows}"
    return rows[0]


def cohort_counts(built: Built, entity_id=None) -> dict:
    return {
        cohort: row["customers"]
        for (entity, cohort), row in cohorts(built).items()
        if entity == entity_id
    }


# --------------------------------------------------------------------------------------
# Fixture 1: multi-entity
# --------------------------------------------------------------------------------------

MULTI_ENTITY_STOREFRONTS = (
    "storefront,store_key,entity_id,default_customer_type\n"
    "shopify,*,UK,dtc\n"
    "bigcommerce,*,UK,b2b\n"
    "bigcommerce,1,UK,b2b\n"
    "bigcommerce,2,US,b2b\n"
    "adobe_commerce,*,US,dtc\n"
)


def multi_entity_inputs() -> dict:
    """Two Sage entities, UK and US.

    Field map: Shopify (any store) -> UK; BigCommerce channel 1 -> UK, channel 2 -> US,
    any other channel -> UK (the `*` row); Adobe Commerce -> US.
    Sage rows: C-TOP top level (visible everywhere), C-ROOT top level RootOnly (visible
    in no entity), C-UK private to UK, C-US private to US, C-D private to UK (VAT), and
    WEBSALES top level, a holding customer in UK only (holding_customers entity_id UK).
    """
    data = RawData()
    bc_attributes(data)
    sage_customer(data, 1, "C-TOP", objectrestriction="Platform", displaycontact_email_1="top@x.com")
    sage_customer(data, 2, "C-ROOT", objectrestriction="RootOnly", displaycontact_email_1="root@x.com")
    sage_customer(data, 3, "C-UK", megaentityid="UK", displaycontact_email_1="ukonly@x.com")
    sage_customer(data, 4, "C-US", megaentityid="US", displaycontact_email_1="usonly@x.com")
    sage_customer(data, 5, "C-D", megaentityid="UK", taxid="GB111111111")
    # A: top-level row, orders in UK (Shopify) and US (Adobe) -> present in both.
    shopify_customer(data, 1, email="top@x.com")
    shopify_order(data, 101, customer_id=1)
    adobe_customer(data, 1, email="top@x.com")
    adobe_order(data, 201, customer_id=1)
    # B: only a RootOnly top-level row -> absent in UK and in US.
    shopify_customer(data, 2, email="root@x.com")
    shopify_order(data, 102, customer_id=2)
    adobe_customer(data, 2, email="root@x.com")
    adobe_order(data, 202, customer_id=2)
    # C: private UK row -> present in UK, absent in US (multi_entity_master there).
    shopify_customer(data, 3, email="ukonly@x.com")
    shopify_order(data, 103, customer_id=3)
    adobe_customer(data, 3, email="ukonly@x.com")
    adobe_order(data, 203, customer_id=3)
    # D: B2B, VAT on a UK-private row; channel 1 -> UK (present), channel 2 -> US (absent).
    bc_customer(data, 4, email="d@x.com", vat="GB111111111")
    bc_order(data, 301, customer_id=4, channel_id=1)
    bc_order(data, 302, customer_id=4, channel_id=" 2 ")  # store keys compare as trimmed text
    # E: B2B ordering on channel 3, no exact row -> `*` -> UK; no Sage row -> absent in UK.
    bc_customer(data, 5, email="e@x.com", vat="GB222222222")
    bc_order(data, 303, customer_id=5, channel_id=3)
    # F: US-private row, orders only in UK -> absent in UK.
    shopify_customer(data, 6, email="usonly@x.com")
    shopify_order(data, 106, customer_id=6)
    # G: email on WEBSALES, holding in UK only -> absent in UK, present in US (an ordinary row there).
    sage_customer(data, 6, "WEBSALES", displaycontact_email_1="ws@x.com")
    shopify_customer(data, 7, email="ws@x.com")
    shopify_order(data, 107, customer_id=7)
    adobe_customer(data, 7, email="ws@x.com")
    adobe_order(data, 207, customer_id=7)
    # WEBSALES documents: B's UK order '#102' (holding in UK -> posted) and B's US order
    # '00000202' (WEBSALES is no holding customer in US -> not posted).
    sodocument(data, 1, "WEBSALES", "#102", megaentityid="UK")
    sodocument(data, 2, "WEBSALES", "00000202", megaentityid="US")
    seeds = {
        "storefronts": MULTI_ENTITY_STOREFRONTS,
        "holding_customers": "sage_customer_id,entity_id,description\nWEBSALES,UK,UK web sales\n",
    }
    return {"data": data, "seeds": seeds}


@pytest.fixture(scope="module")
def multi_entity(tmp_path_factory) -> Built:
    return build_fixture(tmp_path_factory.mktemp("multi_entity"), **multi_entity_inputs())


def test_multi_entity_one_headline_row_per_entity(multi_entity):
    # Entities = those of the storefronts seed (UK, US); no null (single-entity) row.
    assert set(headline(multi_entity)) == {"UK", "US"}


def test_multi_entity_six_cohort_rows_per_entity(multi_entity):
    rows = cohorts(multi_entity)
    assert sorted(rows) == sorted((entity, cohort) for entity in ("UK", "US") for cohort in COHORTS)


def test_multi_entity_uk_absent_customers(multi_entity):
    # UK: B (RootOnly row invisible), E (channel 3 -> `*` -> UK, no row), F (row private to
    # US), G (its only row is the UK holding customer). A (top level), C (UK row) and
    # D (UK row, channel 1) are present.
    assert set(customers(multi_entity, "UK")) == {
        "email:root@x.com", "vat_number:GB222222222", "email:usonly@x.com", "email:ws@x.com",
    }


def test_multi_entity_us_absent_customers(multi_entity):
    # US: B (RootOnly), C (its row is private to UK), D (VAT row private to UK, channel 2 -> US).
    # G is present in US: WEBSALES is a holding customer in UK only.
    assert set(customers(multi_entity, "US")) == {
        "email:root@x.com", "email:ukonly@x.com", "vat_number:GB111111111",
    }


def test_multi_entity_headline_counts(multi_entity):
    rows = headline(multi_entity)
    # UK: B (dtc), E (b2b), F (dtc), G (dtc); US: B (dtc), C (dtc), D (b2b).
    assert (rows["UK"]["absent_customers"], rows["UK"]["absent_b2b_customers"], rows["UK"]["absent_dtc_customers"]) == (4, 1, 3)
    assert (rows["US"]["absent_customers"], rows["US"]["absent_b2b_customers"], rows["US"]["absent_dtc_customers"]) == (3, 1, 2)


def test_multi_entity_orders_counted_against_the_entity_they_post_to(multi_entity):
    # US orders mart: B's Adobe order 202, C's Adobe order 203, D's channel-2 order 302.
    # C's Shopify order (UK, where C is present) and D's channel-1 order are not there.
    assert set(orders(multi_entity, "US")) == {
        ("adobe_commerce", "202"), ("adobe_commerce", "203"), ("bigcommerce", "302"),
    }
    assert set(orders(multi_entity, "UK")) == {
        ("shopify", "102"), ("bigcommerce", "303"), ("shopify", "106"), ("shopify", "107"),
    }


def test_multi_entity_master_reason(multi_entity):
    recon = reconciliation(multi_entity)
    # US: C and D are present in UK, where they also have in-window orders; B is present nowhere.
    assert (recon[("US", "multi_entity_master")]["customers_affected"],
            recon[("US", "multi_entity_master")]["orders_affected"]) == (2, 2)
    # UK: G is present in US (F has no US orders, B is present nowhere).
    assert (recon[("UK", "multi_entity_master")]["customers_affected"],
            recon[("UK", "multi_entity_master")]["orders_affected"]) == (1, 1)


def test_multi_entity_holding_look_through_is_per_entity(multi_entity):
    assert orders(multi_entity, "UK")[("shopify", "102")]["posted_to_holding"] is True
    assert orders(multi_entity, "US")[("adobe_commerce", "202")]["posted_to_holding"] is False


def test_multi_entity_generic_holding_reason(multi_entity):
    recon = reconciliation(multi_entity)
    assert (recon[("UK", "generic_holding_customer")]["customers_affected"],
            recon[("US", "generic_holding_customer")]["customers_affected"]) == (1, 0)


def test_multi_entity_present_elsewhere_flag(multi_entity):
    us = customers(multi_entity, "US")
    assert us["email:ukonly@x.com"]["is_present_in_other_entity"] is True
    assert us["email:root@x.com"]["is_present_in_other_entity"] is False


# --------------------------------------------------------------------------------------
# Fixture 2: the Sage master side (single entity, default field map)
# --------------------------------------------------------------------------------------

def sage_master_inputs() -> dict:
    """Inactive records, the holding customer, Sage emails, deleted rows, key precedence,
    VAT formats, Adobe companies, a name-only match and sync timing.

    All Sage rows are synced at 02:00 on 14 Apr except one deleted row synced at 03:00,
    so the default sage_last_synced_at is 2026-04-14 03:00 (deleted rows included).
    Orders are on 10 Apr (before the sync) unless said otherwise.
    """
    data = RawData()
    bc_attributes(data)
    # -- inactive
    # I1: matches only an inactive row ('Inactive', mixed case).
    sage_customer(data, 1, "C-IN1", status="Inactive", displaycontact_email_1="i1@x.com")
    shopify_customer(data, 101, email="i1@x.com")
    shopify_order(data, 1101, customer_id=101)
    # I2: matches an inactive row and an active one ('ACTIVE') -> present.
    sage_customer(data, 2, "C-IN2", status="inactive", displaycontact_email_1="i2@x.com")
    sage_customer(data, 3, "C-AC2", status="ACTIVE", displaycontact_email_1="i2@x.com")
    shopify_customer(data, 102, email="i2@x.com")
    shopify_order(data, 1102, customer_id=102)
    # I3: B2B whose VAT reaches only an inactive row.
    sage_customer(data, 4, "C-IN3", status="inactive", taxid="GB100000001")
    bc_customer(data, 103, email="i3@x.com", vat="GB100000001")
    bc_order(data, 1103, customer_id=103)
    # -- holding customer WEBSALES: carries H1's email and HB's VAT number.
    sage_customer(data, 10, "WEBSALES", name="Web Sales", displaycontact_email_1="h1@x.com",
                  taxid="GB171717171")
    shopify_customer(data, 110, email="h1@x.com")
    shopify_order(data, 1110, customer_id=110, name="#1001")
    shopify_order(data, 1111, customer_id=110, name="#1002")
    shopify_order(data, 1112, customer_id=110, name="#1003")
    shopify_order(data, 1113, customer_id=110, name="#1004")
    sodocument(data, 1, "WEBSALES", "#1001 ")  # trimmed -> posted
    sodocument(data, 2, "websales ", "1002", deleted=True)  # deleted document -> not posted
    sodocument(data, 3, "C-OTHER", "#1003")  # not a holding customer -> not posted
    sodocument(data, 4, "WEBSALES", " 1004")  # no leading '#': equal after dropping it -> posted
    bc_customer(data, 111, email="hb@x.com", vat="GB171717171")
    bc_order(data, 1114, customer_id=111)
    # -- Sage emails
    sage_customer(data, 20, "C-EM", displaycontact_email_2="a@x.com; B@y.com")
    shopify_customer(data, 120, email="a@x.com")
    shopify_order(data, 1120, customer_id=120)
    adobe_customer(data, 121, email="b@y.com")
    adobe_order(data, 1121, customer_id=121)
    # a deleted (active) Sage row never matches; it is the latest sync (03:00).
    sage_customer(data, 21, "C-DEL", displaycontact_email_1="del@x.com", deleted=True,
                  synced="2026-04-14T03:00:00Z")
    shopify_customer(data, 122, email="del@x.com")
    shopify_order(data, 1122, customer_id=122)
    # -- precedence
    # P1: B2B, VAT matches C-P1Z, email matches C-P1A -> present via VAT (C-P1Z, although higher id).
    sage_customer(data, 30, "C-P1Z", taxid="GB444444444")
    sage_customer(data, 31, "C-P1A", displaycontact_email_1="p1@x.com")
    bc_customer(data, 130, email="p1@x.com", vat="GB444444444")
    bc_order(data, 1130, customer_id=130)
    # P2: B2B, VAT matches nothing, account ref matches customerid ACC-P2.
    sage_customer(data, 32, "ACC-P2")
    bc_customer(data, 131, email="p2@x.com", vat="GB666666666", account_ref=" acc-p2 ")
    bc_order(data, 1131, customer_id=131)
    # P3: DTC whose VAT matches C-P3 but whose email does not -> absent (dtc = email only).
    sage_customer(data, 33, "C-P3", taxid="GB777777777", displaycontact_email_1="p3-old@x.com")
    shopify_customer(data, 132, email="p3@x.com", vat="GB777777777")
    shopify_order(data, 1132, customer_id=132)
    # -- VAT formats (B2B, BigCommerce)
    sage_customer(data, 40, "C-VT1", taxid="123456789")
    bc_customer(data, 140, email="vt1@x.com", vat="gb 123 4567 89")
    bc_order(data, 1140, customer_id=140)
    sage_customer(data, 41, "C-VT2", taxid="GB987654321")
    bc_customer(data, 141, email="vt2@x.com", vat="XI 987654321")
    bc_order(data, 1141, customer_id=141)
    sage_customer(data, 42, "C-VT3", taxid="N/A", displaycontact_taxid="GB 555 555 555")
    bc_customer(data, 142, email="vt3@x.com", vat="555555555")
    bc_order(data, 1142, customer_id=142)
    bc_customer(data, 143, email="vt4@x.com", vat="N/A")  # placeholder: no VAT number
    bc_order(data, 1143, customer_id=143)
    bc_customer(data, 144, email="vt5@x.com", vat="GB 12345")  # invalid: no valid VAT number
    bc_order(data, 1144, customer_id=144)
    # -- Adobe Commerce companies
    data.add("adobe_commerce", "company", entity_id=7, status=1, company_name="Acme Trading",
             legal_name="Acme Ltd", company_email="accounts@acme.com", vat_tax_id="GB888888888",
             reseller_id="ACME01")
    adobe_customer(data, 170, email="bob@acme.com")
    data.add("adobe_commerce", "company_advanced_customer_entity", customer_id=170, company_id=7)
    adobe_order(data, 1170, customer_id=170, customer_email="bob@acme.com")
    data.add("adobe_commerce", "company", entity_id=8, status=1, company_name="Beta Trading",
             company_email="accounts@beta.com", reseller_id="RES-8")
    sage_customer(data, 50, "RES-8")
    adobe_customer(data, 180, email="carol@beta.com")
    data.add("adobe_commerce", "company_advanced_customer_entity", customer_id=180, company_id=8)
    adobe_order(data, 1180, customer_id=180, customer_email="carol@beta.com")
    # -- match-key choice: same name as an active row, different email, no phone/postcode.
    sage_customer(data, 60, "C-MK1", displaycontact_firstname="Mary", displaycontact_lastname="Jones",
                  displaycontact_email_1="mary.old@x.com")
    shopify_customer(data, 150, email="mk1@x.com", first_name="Mary", last_name="Jones")
    shopify_order(data, 1150, customer_id=150)
    # -- sync timing against the default sage_last_synced_at (03:00 on 14 Apr)
    shopify_customer(data, 160, email="as1@x.com")
    shopify_order(data, 1160, customer_id=160, created_at="2026-04-14T05:00:00Z")  # after -> awaiting_sync
    shopify_customer(data, 161, email="as2@x.com")
    shopify_order(data, 1161, customer_id=161, created_at="2026-04-14T03:00:00Z")  # at the sync -> missing
    return {"data": data}


@pytest.fixture(scope="module")
def sage_master(tmp_path_factory) -> Built:
    return build_fixture(tmp_path_factory.mktemp("sage_master"), **sage_master_inputs())


SAGE_MASTER_ABSENT = {
    "email:i1@x.com": "inactive_in_sage",
    "vat_number:GB100000001": "inactive_in_sage",
    "email:h1@x.com": "dtc_new",
    "vat_number:GB171717171": "b2b_new_account",
    "email:del@x.com": "dtc_new",
    "email:p3@x.com": "dtc_new",
    "email:vt4@x.com": "b2b_vat_not_keyed",
    "email:vt5@x.com": "b2b_vat_not_keyed",
    "vat_number:GB888888888": "b2b_new_account",
    "email:mk1@x.com": "dtc_new",
    "email:as1@x.com": "dtc_new",
    "email:as2@x.com": "dtc_new",
}


def test_sage_master_absent_customers_and_cohorts(sage_master):
    # Present: i2 (active 'ACTIVE' row), a@x.com / b@y.com (email_2 list), P1, P2, VT1-3, Beta
    # (reseller_id). Everything else is absent, with the cohort of the first rule that applies.
    got = {key: row["cohort"] for key, row in customers(sage_master).items()}
    assert got == SAGE_MASTER_ABSENT


def test_sage_master_headline(sage_master):
    row = headline(sage_master)[None]
    # 12 absent: B2B = I3, HB, VT4, VT5, Acme (5); DTC = 7. Orders: 1 each, H1 has 4 -> 15.
    assert (row["absent_customers"], row["absent_b2b_customers"], row["absent_dtc_customers"],
            row["orders_attached"]) == (12, 5, 7, 15)


def test_sage_master_cohort_counts(sage_master):
    assert cohort_counts(sage_master) == {
        "inactive_in_sage": 2,  # I1 (dtc), I3 (b2b)
        "b2b_vat_not_keyed": 2,  # VT4 (placeholder 'N/A'), VT5 (invalid 'GB 12345')
        "b2b_new_account": 2,  # HB (VAT only on the holding row), Acme
        "dtc_returning_email_changed": 0,
        "dtc_new": 6,  # H1, del, P3, MK1, AS1, AS2
        "dtc_returning_unmatched": 0,
    }


def test_inactive_only_match_names_the_record_and_reactivates(sage_master):
    row = customers(sage_master)["email:i1@x.com"]
    assert (row["inactive_sage_customer_id"], row["recommended_action_code"]) == ("C-IN1", "reactivate")


def test_inactive_match_holds_for_b2b(sage_master):
    row = customers(sage_master)["vat_number:GB100000001"]
    assert (row["customer_type"], row["inactive_sage_customer_id"]) == ("b2b", "C-IN3")


def test_active_and_inactive_rows_mean_present_case_insensitive_status(sage_master):
    assert "email:i2@x.com" not in customers(sage_master)
    assert matched(sage_master, "email:i2@x.com")["matched_sage_customer_id"] == "C-AC2"


def test_holding_customer_email_never_makes_present(sage_master):
    # WEBSALES carries h1@x.com; it is a holding customer, so H1 stays absent.
    assert "email:h1@x.com" in customers(sage_master)


def test_holding_customer_vat_never_makes_present(sage_master):
    assert customers(sage_master)["vat_number:GB171717171"]["cohort"] == "b2b_new_account"


def test_posted_to_holding_per_order(sage_master):
    posted = {
        row["order_number"]: row["posted_to_holding"]
        for row in orders(sage_master).values()
        if row["customer_key"] == "email:h1@x.com"
    }
    # '#1001 ' (trimmed) and ' 1004' (no '#') match; a deleted document and a document of a
    # non-holding customer do not.
    assert posted == {"#1001": True, "#1002": False, "#1003": False, "#1004": True}


def test_orders_posted_to_holding_on_customer(sage_master):
    row = customers(sage_master)["email:h1@x.com"]
    assert (row["orders_in_window"], row["orders_posted_to_holding"]) == (4, 2)


def test_holding_customer_is_never_a_suspected_duplicate(sage_master):
    # H1 carries the holding row's email; the holding row is not a candidate anyway.
    assert customers(sage_master)["email:h1@x.com"]["is_suspected_duplicate"] is False


def test_sage_email_2_list_matches_each_address(sage_master):
    absent = customers(sage_master)
    assert "email:a@x.com" not in absent and "email:b@y.com" not in absent
    assert matched(sage_master, "email:b@y.com")["matched_sage_customer_id"] == "C-EM"


def test_deleted_sage_row_never_matches(sage_master):
    assert customers(sage_master)["email:del@x.com"]["cohort"] == "dtc_new"


def test_b2b_vat_beats_email_in_precedence(sage_master):
    assert "vat_number:GB444444444" not in customers(sage_master)
    row = matched(sage_master, "vat_number:GB444444444")
    # The first key of the list that matches wins, even though C-P1A < C-P1Z.
    assert (row["matched_on"], row["matched_sage_customer_id"]) == ("vat_number", "C-P1Z")


def test_b2b_account_ref_matches_when_vat_matches_nothing(sage_master):
    row = matched(sage_master, "vat_number:GB666666666")
    assert (row["is_present"], row["matched_on"], row["matched_sage_customer_id"]) == (True, "account_ref", "ACC-P2")


def test_dtc_vat_match_does_not_count(sage_master):
    # dtc precedence is email only: the VAT number that matches C-P3 is not tried.
    assert "email:p3@x.com" in customers(sage_master)


@pytest.mark.parametrize(
    "customer_key, sage_id",
    [
        ("vat_number:GB123456789", "C-VT1"),  # 'gb 123 4567 89' vs bare '123456789'
        ("vat_number:GB987654321", "C-VT2"),  # 'XI 987654321' vs 'GB987654321'
        ("vat_number:GB555555555", "C-VT3"),  # taxid 'N/A' falls through to displaycontact_taxid
    ],
)
def test_vat_formats_match(sage_master, customer_key, sage_id):
    row = matched(sage_master, customer_key)
    assert (row["is_present"], row["matched_sage_customer_id"]) == (True, sage_id)


def test_placeholder_vat_is_not_keyed(sage_master):
    row = customers(sage_master)["email:vt4@x.com"]
    # A placeholder means "no VAT number": null, also for display.
    assert (row["customer_type"], row["cohort"], row["vat_number"]) == ("b2b", "b2b_vat_not_keyed", None)


def test_invalid_vat_is_not_keyed_but_shown(sage_master):
    row = customers(sage_master)["email:vt5@x.com"]
    # Invalid: null for matching (so not a valid VAT number), kept for display.
    assert row["cohort"] == "b2b_vat_not_keyed"
    assert (row["vat_number"] or "").replace(" ", "") == "GB12345"


def test_adobe_company_is_the_customer(sage_master):
    row = customers(sage_master)["vat_number:GB888888888"]
    assert (row["customer_type"], row["vat_number"], row["account_ref"], row["storefronts"]) == (
        "b2b", "GB888888888", "ACME01", "adobe_commerce",
    )
    # The linked customer does not appear as a customer of its own.
    assert "email:bob@acme.com" not in customers(sage_master)


def test_adobe_company_reseller_id_is_the_account_ref(sage_master):
    # Beta has no VAT; its reseller_id RES-8 is the customerid of an active row -> present.
    row = matched(sage_master, "account_ref:RES-8")
    assert (row["is_present"], row["matched_on"]) == (True, "account_ref")


def test_default_sage_last_synced_at_includes_deleted_rows(sage_master):
    assert headline(sage_master)[None]["sage_last_synced_at"] == datetime(2026, 4, 14, 3, 0)


def test_first_order_after_sync_is_awaiting_sync(sage_master):
    row = customers(sage_master)["email:as1@x.com"]
    assert (row["sync_status"], row["recommended_action_code"]) == ("awaiting_sync", "wait_for_sync")


def test_first_order_at_the_sync_instant_is_missing(sage_master):
    assert customers(sage_master)["email:as2@x.com"]["sync_status"] == "missing"


def test_sage_master_awaiting_sync_count(sage_master):
    assert headline(sage_master)[None]["awaiting_sync"] == 1  # AS1 only


def test_sage_master_reconciliation(sage_master):
    recon = reconciliation(sage_master)
    got = {reason: (recon[(None, reason)]["customers_affected"], recon[(None, reason)]["orders_affected"])
           for reason in REASONS}
    assert got == {
        "match_key_choice": (1, 1),  # MK1: 'Mary Jones' = C-MK1's name
        "generic_holding_customer": (1, 4),  # H1, with its 4 in-window orders
        "sync_timing": (1, 1),  # AS1
        "duplicate_email_merge": (0, 0),
        "b2b_vs_dtc_scope": (7, 10),  # the 7 absent DTC; H1 has 4 orders
        "multi_entity_master": (0, 0),
        "inactive_customer_records": (2, 2),  # I1, I3
    }


def test_sage_master_alerts(sage_master):
    row = headline(sage_master)[None]
    # 5 B2B > 0 -> B2B alert; 12 > 10 -> overall alert.
    assert (row["is_b2b_alert"], row["is_alert"], row["sentiment"]) == (True, True, "customer_master_gap")


# --------------------------------------------------------------------------------------
# Fixture 3: storefront identity and orders (single entity)
# --------------------------------------------------------------------------------------

def identity_inputs() -> dict:
    """Guests, deleted records, cross-storefront identity, invalid orders, window edges.

    The only Sage row (synced 01:00 on 14 Apr) matches nobody: every customer with a
    valid in-window order is absent.
    """
    data = RawData()
    bc_attributes(data)
    sage_customer(data, 1, "C-ZZZ", displaycontact_email_1="zzz@x.com", synced="2026-04-14T01:00:00Z")
    # -- guests
    shopify_order(data, 3001, customer_id=None, email="Guest@X.com", total="10.00")
    shopify_order(data, 3002, customer_id=None, email=" guest@x.com", total="15.00")
    bc_order(data, 3003, customer_id=0, billing_address_email="g2@x.com")
    adobe_order(data, 3004, customer_id=None, guest=True, customer_email="g3@x.com")
    adobe_order(data, 3005, customer_id=None, guest=None, customer_email="g3b@x.com")  # null id
    adobe_customer(data, 31, email="c31@x.com")
    adobe_order(data, 3006, customer_id=31, guest=1, customer_email="g3c@x.com")  # guest flag wins
    shopify_order(data, 3007, customer_id=999, email="g4@x.com")  # no such record
    shopify_customer(data, 60, email="live@x.com")
    shopify_order(data, 3008, customer_id=60, email="live@x.com")
    bc_order(data, 3009, customer_id=0, billing_address_email="LIVE@x.com")
    shopify_order(data, 3010, customer_id=None, email=None)  # no email at all
    shopify_order(data, 3060, customer_id=None, email="not-an-email")  # invalid email = none
    shopify_order(data, 3017, customer_id=" 60 ", email="live@x.com")  # ids compare as trimmed text
    # BigCommerce (b2b) record with no key value anywhere -> unidentified, keyed by the record.
    bc_customer(data, 500, email=None)
    bc_order(data, 3070, customer_id=500)
    # Deleted BigCommerce record with a VAT number: its order is a guest (dtc) order.
    data.add("bigcommerce", "customer", id=501, email="bcgone@x.com", _fivetran_deleted="true")
    data.add("bigcommerce", "customer_attribute_value", id=5011, customer_id=501, attribute_id=1,
             attribute_value="GB272727272")
    bc_order(data, 3080, customer_id=501, billing_address_email="bcgone@x.com")
    # -- deleted record tagged wholesale: its orders are guest (dtc) orders
    shopify_customer(data, 50, email="gone@x.com", tags=["wholesale"], vat="GB121212121", deleted=True)
    shopify_order(data, 3011, customer_id=50, email="gone@x.com")
    # -- cross-storefront
    shopify_customer(data, 70, email="x1@x.com")
    shopify_order(data, 3012, customer_id=70, total="10.00")
    adobe_customer(data, 71, email="X1@x.com")
    adobe_order(data, 3013, customer_id=71, total="20.00")
    adobe_order(data, 3014, customer_id=71, total="20.00")
    shopify_customer(data, 72, email="x2@x.com", tags=["B2B"])
    shopify_order(data, 3015, customer_id=72)
    adobe_customer(data, 73, email="x2@x.com")
    adobe_order(data, 3016, customer_id=73)
    # -- invalid orders: none of these customers may appear
    shopify_order(data, 3020, email="inv1@x.com", cancelled_at="2026-04-10T11:00:00Z")
    shopify_order(data, 3021, email="inv2@x.com", test="1")
    shopify_order(data, 3022, email="inv3@x.com", _fivetran_deleted="TRUE")
    bc_order(data, 3023, customer_id=0, status_id=0, billing_address_email="inv4@x.com")
    bc_order(data, 3024, customer_id=0, status_id=5, billing_address_email="inv5@x.com")
    bc_order(data, 3025, customer_id=0, status_id=6, billing_address_email="inv6@x.com")
    bc_order(data, 3026, customer_id=0, is_deleted="true", billing_address_email="inv7@x.com")
    adobe_order(data, 3027, guest=True, state="canceled", customer_email="inv8@x.com")
    # V1: earlier orders cancelled / test only -> still dtc_new.
    shopify_customer(data, 80, email="v1@x.com")
    shopify_order(data, 3030, customer_id=80, created_at=BEFORE_WINDOW, cancelled_at=BEFORE_WINDOW)
    shopify_order(data, 3031, customer_id=80, created_at=BEFORE_WINDOW, test="true")
    shopify_order(data, 3032, customer_id=80)
    # V2: a valid earlier order -> dtc_returning_unmatched.
    shopify_customer(data, 81, email="v2@x.com")
    shopify_order(data, 3033, customer_id=81, created_at=BEFORE_WINDOW)
    shopify_order(data, 3034, customer_id=81)
    # -- window edges (one customer, one order each)
    edges = {
        90: "2026-04-07T09:00:00Z",  # = window start: excluded
        91: "2026-04-07T10:00:00+01:00",  # = window start with an offset: excluded
        92: "2026-04-07T09:00:01Z",  # just inside
        93: "2026-04-14T09:00:00Z",  # = gap_as_of: included
        94: "2026-04-14T10:30:00+01:00",  # 09:30 UTC, after gap_as_of: does not exist
        95: "2026-04-14 09:00:00",  # no offset = UTC = gap_as_of: included
        96: "2026-04-07 09:00:00",  # no offset = window start: excluded
        97: "2026-04-10T23:30:00-05:00",  # = 2026-04-11 04:30 UTC: included
    }
    for customer_id, created_at in edges.items():
        shopify_customer(data, customer_id, email=f"w{customer_id}@x.com")
        shopify_order(data, 3000 + customer_id * 10, customer_id=customer_id, created_at=created_at)
    # W98: one in-window order, one after gap_as_of.
    shopify_customer(data, 98, email="w98@x.com")
    shopify_order(data, 3980, customer_id=98, created_at="2026-04-12T08:00:00Z")
    shopify_order(data, 3981, customer_id=98, created_at="2026-04-14T10:30:00+01:00")
    # W99: record without email: key from its latest order up to gap_as_of, not the later one.
    shopify_customer(data, 99, email=None)
    shopify_order(data, 3990, customer_id=99, email="w99@x.com", created_at="2026-04-12T08:00:00Z")
    shopify_order(data, 3991, customer_id=99, email="w99-later@x.com", created_at="2026-04-14T10:30:00+01:00")
    return {"data": data}


@pytest.fixture(scope="module")
def identity(tmp_path_factory) -> Built:
    return build_fixture(tmp_path_factory.mktemp("identity"), **identity_inputs())


IDENTITY_ABSENT = {
    "email:guest@x.com", "email:g2@x.com", "email:g3@x.com", "email:g3b@x.com", "email:g3c@x.com",
    "email:g4@x.com", "email:live@x.com", "unidentified:shopify:3010", "email:gone@x.com",
    "email:x1@x.com", "email:x2@x.com", "email:v1@x.com", "email:v2@x.com",
    "email:w92@x.com", "email:w93@x.com", "email:w95@x.com", "email:w97@x.com",
    "email:w98@x.com", "email:w99@x.com",
    "unidentified:shopify:3060", "unidentified:bigcommerce:500", "email:bcgone@x.com",
}


def test_identity_absent_customers(identity):
    assert set(customers(identity)) == IDENTITY_ABSENT


def test_identity_headline(identity):
    row = headline(identity)[None]
    # 22 absent, of which x2 and BigCommerce record 500 are B2B.
    # Orders: guest 2, live 3, x1 3, x2 2, the other 18 one each = 28.
    assert (row["absent_customers"], row["absent_b2b_customers"], row["orders_attached"]) == (22, 2, 28)


def test_identity_cohort_counts(identity):
    assert cohort_counts(identity) == {
        "inactive_in_sage": 0,
        "b2b_vat_not_keyed": 2,  # x2 (b2b by the Shopify tag, no VAT), BigCommerce record 500
        "b2b_new_account": 0,
        "dtc_returning_email_changed": 0,
        "dtc_new": 19,
        "dtc_returning_unmatched": 1,  # v2
    }


def test_guest_orders_with_same_email_are_one_customer(identity):
    row = customers(identity)["email:guest@x.com"]
    assert (row["customer_type"], row["orders_in_window"], row["order_value_in_window"]) == ("dtc", 2, Decimal("25.00"))


@pytest.mark.parametrize(
    "customer_key, storefront",
    [
        ("email:g2@x.com", "bigcommerce"),  # customer_id 0
        ("email:g3@x.com", "adobe_commerce"),  # customer_is_guest 1, null customer_id
        ("email:g3b@x.com", "adobe_commerce"),  # null customer_id
        ("email:g3c@x.com", "adobe_commerce"),  # customer_is_guest 1 with a customer_id
        ("email:g4@x.com", "shopify"),  # customer_id matching no record
    ],
)
def test_guest_orders_form_dtc_customers(identity, customer_key, storefront):
    row = customers(identity)[customer_key]
    assert (row["customer_type"], row["storefronts"], row["orders_in_window"]) == ("dtc", storefront, 1)


def test_guest_with_record_email_joins_the_record(identity):
    row = customers(identity)["email:live@x.com"]
    # Orders 3008 and 3017 (customer_id ' 60 ') of record 60, guest order 3009 ('LIVE@x.com').
    assert (row["orders_in_window"], row["storefronts"]) == (3, "bigcommerce, shopify")


def test_guest_without_email_is_unidentified_and_counts(identity):
    row = customers(identity)["unidentified:shopify:3010"]
    assert (row["customer_type"], row["orders_in_window"], row["cohort"]) == ("dtc", 1, "dtc_new")


def test_invalid_guest_email_is_unidentified(identity):
    assert customers(identity)["unidentified:shopify:3060"]["orders_in_window"] == 1


def test_record_without_any_key_is_unidentified_and_counts(identity):
    row = customers(identity)["unidentified:bigcommerce:500"]
    assert (row["customer_type"], row["cohort"]) == ("b2b", "b2b_vat_not_keyed")


def test_deleted_bigcommerce_record_orders_are_guest_dtc_orders(identity):
    row = customers(identity)["email:bcgone@x.com"]
    assert (row["customer_type"], row["cohort"]) == ("dtc", "dtc_new")


def test_deleted_record_orders_are_guest_dtc_orders(identity):
    row = customers(identity)["email:gone@x.com"]
    # Tagged wholesale with a VAT metafield, but deleted: its order is a guest order.
    assert (row["customer_type"], row["cohort"]) == ("dtc", "dtc_new")
    assert all(
        order["is_guest_order"] for order in orders(identity).values() if order["customer_key"] == "email:gone@x.com"
    )


def test_same_email_across_storefronts_is_one_customer(identity):
    row = customers(identity)["email:x1@x.com"]
    assert (row["storefronts"], row["orders_in_window"], row["order_value_in_window"]) == (
        "adobe_commerce, shopify", 3, Decimal("50.00"),
    )


def test_type_disagreement_is_b2b(identity):
    row = customers(identity)["email:x2@x.com"]
    assert (row["customer_type"], row["orders_in_window"]) == ("b2b", 2)


def test_invalid_orders_do_not_count(identity):
    keys = set(customers(identity))
    assert not {key for key in keys if key.startswith("email:inv")}
    order_ids = {order_id for _, order_id in orders(identity)}
    assert not order_ids & {str(i) for i in range(3020, 3028)}


def test_cancelled_and_test_earlier_orders_do_not_stop_dtc_new(identity):
    row = customers(identity)["email:v1@x.com"]
    assert (row["cohort"], row["first_order_at"]) == ("dtc_new", datetime(2026, 4, 10, 10, 0))


def test_valid_earlier_order_makes_returning(identity):
    assert customers(identity)["email:v2@x.com"]["cohort"] == "dtc_returning_unmatched"


@pytest.mark.parametrize(
    "customer_key, counted",
    [
        ("email:w90@x.com", False),  # 2026-04-07T09:00:00Z = window start
        ("email:w91@x.com", False),  # 2026-04-07T10:00:00+01:00 = window start
        ("email:w92@x.com", True),  # 2026-04-07T09:00:01Z
        ("email:w93@x.com", True),  # 2026-04-14T09:00:00Z = gap_as_of
        ("email:w94@x.com", False),  # 2026-04-14T10:30:00+01:00 after gap_as_of
        ("email:w95@x.com", True),  # '2026-04-14 09:00:00' read as UTC
        ("email:w96@x.com", False),  # '2026-04-07 09:00:00' read as UTC
        ("email:w97@x.com", True),  # 2026-04-10T23:30:00-05:00
    ],
)
def test_window_edges(identity, customer_key, counted):
    assert (customer_key in customers(identity)) is counted


def test_offset_timestamp_is_converted_to_utc(identity):
    row = customers(identity)["email:w97@x.com"]
    assert row["first_order_at_in_window"] == datetime(2026, 4, 11, 4, 30)


def test_order_after_as_of_does_not_exist(identity):
    row = customers(identity)["email:w98@x.com"]
    assert (row["orders_in_window"], row["first_order_at_in_window"]) == (1, datetime(2026, 4, 12, 8, 0))
    assert ("shopify", "3981") not in orders(identity)


def test_fallback_email_is_latest_order_up_to_as_of(identity):
    # The record has no email; its latest valid order up to gap_as_of carries w99@x.com
    # (the later w99-later@x.com order does not exist for this evaluation).
    assert "email:w99@x.com" in customers(identity)
    assert "email:w99-later@x.com" not in customers(identity)


# --------------------------------------------------------------------------------------
# Fixture 3b: where a customer's key values come from
# --------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def key_values(tmp_path_factory) -> Built:
    """Key values of records, their orders and the field-map attributes (single entity)."""
    data = RawData()
    bc_attributes(data)
    # K1: DTC record keyed by its own email; its valid order carries another email, which is
    # the email of an active Sage row. The customer's key values are the union of its
    # records' and valid orders' -> present.
    sage_customer(data, 1, "C-K1", displaycontact_email_1="k1-order@x.com")
    shopify_customer(data, 1, email="k1-record@x.com")
    shopify_order(data, 11, customer_id=1, email="k1-order@x.com")
    # K3: B2B record, VAT matches nothing; its order's billing email is on an active row.
    sage_customer(data, 3, "C-K3", displaycontact_email_1="k3-order@x.com")
    bc_customer(data, 3, email="k3-record@x.com", vat="GB232323232")
    bc_order(data, 31, customer_id=3, billing_address_email="k3-order@x.com")
    # K4: Adobe company with its own VAT number (matching nothing); its order's billing
    # address carries another VAT number (an order key value), which is on an active row.
    sage_customer(data, 4, "C-K4", taxid="GB242424242")
    data.add("adobe_commerce", "company", entity_id=9, status=1, company_name="Gamma Ltd",
             company_email="k4@gamma.com", vat_tax_id="GB252525252")
    adobe_customer(data, 90, email="dan@gamma.com")
    data.add("adobe_commerce", "company_advanced_customer_entity", customer_id=90, company_id=9)
    adobe_order(data, 9001, customer_id=90, customer_email="dan@gamma.com")
    data.add("adobe_commerce", "sales_order_address", entity_id=90011, parent_id=9001,
             address_type="billing", company="Gamma Ltd", vat_id="GB 242 424 242")
    # U1: record without email; its latest valid order has none either (an earlier one has):
    # the latest order's value is used even if null -> unidentified, keyed by the record id.
    # An unidentified customer can never match, even though a Sage row holds early@x.com.
    sage_customer(data, 5, "C-EARLY", displaycontact_email_1="early@x.com")
    shopify_customer(data, 200, email=None)
    shopify_order(data, 2001, customer_id=200, email="early@x.com", created_at="2026-04-09T10:00:00Z")
    shopify_order(data, 2002, customer_id=200, email=None, created_at="2026-04-11T10:00:00Z")
    # U2: record without email, two orders at the same instant: the highest order id wins.
    shopify_customer(data, 201, email=None)
    shopify_order(data, 2010, customer_id=201, email="tie-a@x.com")
    shopify_order(data, 2011, customer_id=201, email="tie-b@x.com")
    # SB1 / SB2: Shopify B2B (tags, any case) with metafield VAT number / account reference.
    sage_customer(data, 21, "C-SB1", taxid="GB202020202")
    shopify_customer(data, 21, email="sb1@x.com", tags=["Wholesale"], vat="GB202020202")
    shopify_order(data, 211, customer_id=21)
    sage_customer(data, 22, "SB2-REF")
    shopify_customer(data, 22, email="sb2@x.com", tags=["b2b"], account_ref="sb2-ref")
    shopify_order(data, 221, customer_id=22)
    # T1: two active rows with the customer's email -> the lowest customerid (C100).
    sage_customer(data, 40, "C200", displaycontact_email_1="tie@x.com")
    sage_customer(data, 41, "C100", displaycontact_email_1="tie@x.com")
    shopify_customer(data, 40, email="tie@x.com")
    shopify_order(data, 401, customer_id=40)
    # T2: two inactive rows -> inactive_sage_customer_id is the lowest customerid (C250).
    sage_customer(data, 42, "C300", status="inactive", displaycontact_email_1="tie2@x.com")
    sage_customer(data, 43, "C250", status="inactive", displaycontact_email_1="tie2@x.com")
    shopify_customer(data, 42, email="tie2@x.com")
    shopify_order(data, 421, customer_id=42)
    # E4: a comma-separated list in displaycontact_email_1.
    sage_customer(data, 30, "C-EM2", displaycontact_email_1="c@x.com,d@x.com")
    shopify_customer(data, 30, email="d@x.com")
    shopify_order(data, 301, customer_id=30)
    # K5: Adobe company without a VAT number of its own; a linked user's address carries
    # one (an address key value of the company), which is on an active row -> present.
    sage_customer(data, 50, "C-K5", taxid="GB272727272")
    data.add("adobe_commerce", "company", entity_id=10, status=1, company_name="Delta Ltd",
             company_email="k5@delta.com")
    adobe_customer(data, 95, email="eve@delta.com")
    data.add("adobe_commerce", "company_advanced_customer_entity", customer_id=95, company_id=10)
    data.add("adobe_commerce", "customer_address_entity", entity_id=951, parent_id=95,
             company="Delta Ltd", vat_id="GB 272 727 272")
    adobe_order(data, 9501, customer_id=95, customer_email="eve@delta.com")
    # K6: Adobe company without a VAT number; its latest order has none (so the identity
    # key falls back to the company email), an earlier valid order carries one. The union
    # of the member's values decides "has a valid VAT number": b2b_new_account, not
    # b2b_vat_not_keyed.
    data.add("adobe_commerce", "company", entity_id=11, status=1, company_name="Epsilon Ltd",
             company_email="k6@epsilon.com")
    adobe_customer(data, 96, email="fay@epsilon.com")
    data.add("adobe_commerce", "company_advanced_customer_entity", customer_id=96, company_id=11)
    adobe_order(data, 9601, customer_id=96, customer_taxvat="GB282828282", created_at="2026-04-09T10:00:00Z")
    adobe_order(data, 9602, customer_id=96, created_at="2026-04-11T10:00:00Z")
    return build_fixture(tmp_path_factory.mktemp("key_values"), data)


def test_order_email_is_a_key_value_of_the_record_customer(key_values):
    # Contract, precise readings: "The customer's key values, names, phones and postcodes are
    # the union of its records', addresses' and valid orders' (up to gap_as_of)."
    assert "email:k1-record@x.com" not in customers(key_values)


def test_order_billing_email_is_a_key_value_of_a_b2b_record(key_values):
    assert "vat_number:GB232323232" not in customers(key_values)


def test_order_vat_is_a_key_value_of_an_adobe_company(key_values):
    row = matched(key_values, "vat_number:GB252525252")
    assert (row["is_present"], row["matched_sage_customer_id"]) == (True, "C-K4")


def test_tie_takes_lowest_active_customerid(key_values):
    assert matched(key_values, "email:tie@x.com")["matched_sage_customer_id"] == "C100"


def test_tie_takes_lowest_inactive_customerid(key_values):
    row = customers(key_values)["email:tie2@x.com"]
    assert (row["cohort"], row["inactive_sage_customer_id"]) == ("inactive_in_sage", "C250")


def test_key_values_absent_customers(key_values):
    # Only U1 (unidentified), U2 (tie-b, no Sage row), T2 (inactive rows only) and K6 (no
    # Sage row) are absent.
    assert set(customers(key_values)) == {
        "unidentified:shopify:200", "email:tie-b@x.com", "email:tie2@x.com", "email:k6@epsilon.com",
    }


def test_adobe_linked_user_address_vat_is_a_key_value_of_the_company(key_values):
    # Contract, amendments: key values include "the vat_id of its Adobe Commerce customer
    # addresses (for a company: its linked users' addresses)".
    row = matched(key_values, "email:k5@delta.com")
    assert (row["is_present"], row["matched_on"], row["matched_sage_customer_id"]) == (True, "vat_number", "C-K5")


def test_vat_of_any_order_decides_the_b2b_cohort_while_the_key_uses_the_latest(key_values):
    # Identity key per member with the most-recent-order fallback (the latest order has no
    # VAT -> email key); "has a valid VAT number" reads the union of the member's values.
    row = customers(key_values)["email:k6@epsilon.com"]
    assert (row["customer_type"], row["cohort"]) == ("b2b", "b2b_new_account")


def test_fallback_uses_latest_order_even_if_null(key_values):
    # The identity (before matching): U1 is unidentified, keyed by its record id.
    keys = {row["customer_key"] for row in key_values.query("select customer_key from int_ecom_ordering_customers")}
    assert "unidentified:shopify:200" in keys and "email:early@x.com" not in keys


def test_unidentified_customer_counts_and_never_matches(key_values):
    # Contract: an unidentified customer "counts, and can never match" - even though one
    # of its orders carries early@x.com, the email of the active row C-EARLY.
    row = customers(key_values).get("unidentified:shopify:200")
    assert row is not None, "unidentified:shopify:200 is missing from the customers mart"
    assert (row["orders_in_window"], row["cohort"]) == (2, "dtc_new")


def test_fallback_tie_takes_highest_order_id(key_values):
    assert "email:tie-b@x.com" in customers(key_values)
    assert "email:tie-a@x.com" not in customers(key_values)


def test_shopify_b2b_vat_metafield_matches(key_values):
    row = matched(key_values, "vat_number:GB202020202")
    assert (row["is_present"], row["matched_sage_customer_id"]) == (True, "C-SB1")


def test_shopify_b2b_account_ref_metafield_matches(key_values):
    row = matched(key_values, "account_ref:SB2-REF")
    assert (row["is_present"], row["matched_on"]) == (True, "account_ref")


def test_sage_comma_separated_emails_match(key_values):
    assert matched(key_values, "email:d@x.com")["matched_sage_customer_id"] == "C-EM2"


# --------------------------------------------------------------------------------------
# Fixture 4: fuzzy duplicates
# --------------------------------------------------------------------------------------

def fuzzy_inputs() -> dict:
    """Absent customers against Sage rows that share a phone, or a postcode and a name."""
    data = RawData()
    bc_attributes(data)
    sage_customer(data, 1, "WEBSALES", name="Web Sales", displaycontact_phone_1="020 7946 0777")
    # FZ1: new email, same phone written differently as C-FZ1.
    sage_customer(data, 11, "C-FZ1", displaycontact_firstname="Ann", displaycontact_lastname="Able",
                  displaycontact_email_1="ann.old@x.com", displaycontact_phone_1="+44 (0)7700 900123")
    shopify_customer(data, 1, email="fz1@x.com", first_name="Ann", last_name="Other", phone="07700 900123")
    shopify_order(data, 101, customer_id=1)
    # FZ2: same postcode (other spacing / case), 'Jon Smith' vs 'John Smith' (JW 0.973).
    sage_customer(data, 12, "C-FZ2", displaycontact_firstname="John", displaycontact_lastname="Smith",
                  displaycontact_mailaddress_zip="sw1a1aa")
    shopify_customer(data, 2, email="fz2@x.com", first_name="Jon", last_name="Smith", zip="SW1A 1AA")
    shopify_order(data, 102, customer_id=2)
    # FZ3: same postcode, unrelated name -> no suspect.
    sage_customer(data, 13, "C-FZ3", displaycontact_firstname="Zed", displaycontact_lastname="Quinn",
                  displaycontact_mailaddress_zip="EC1A 1BB")
    shopify_customer(data, 3, email="fz3@x.com", first_name="Alice", last_name="Brown", zip="EC1A 1BB")
    shopify_order(data, 103, customer_id=3)
    # FZ4: postcode + identical name matches C-FZ4A; phone matches C-FZ4B -> C-FZ4B (phone first).
    sage_customer(data, 14, "C-FZ4A", displaycontact_firstname="Pat", displaycontact_lastname="Lee",
                  displaycontact_mailaddress_zip="N1 4AA")
    sage_customer(data, 15, "C-FZ4B", name="Someone Else", displaycontact_cellphone="+44 20 7946 0004")
    shopify_customer(data, 4, email="fz4@x.com", first_name="Pat", last_name="Lee", zip="N1 4AA",
                     address_phone="020 7946 0004")
    shopify_order(data, 104, customer_id=4)
    # FZ5: phone of an INACTIVE row -> not a suspect.
    sage_customer(data, 16, "C-FZ5", status="inactive", displaycontact_phone_1="07700 900555")
    shopify_customer(data, 5, email="fz5@x.com", phone="+447700900555")
    shopify_order(data, 105, customer_id=5)
    # FZ6: B2B with a new VAT number and the phone of C-FZ6 -> suspected, still b2b_new_account.
    sage_customer(data, 17, "C-FZ6", name="Widget Company", displaycontact_phone_1="01632 960006")
    bc_customer(data, 6, email="fz6@x.com", vat="GB333333333", company="Widget Co", phone="+44 1632 960006")
    bc_order(data, 106, customer_id=6)
    # FZ7: phone of the holding customer -> not a suspect.
    shopify_customer(data, 7, email="fz7@x.com", phone="+44 20 7946 0777")
    shopify_order(data, 107, customer_id=7)
    # FZ8: the only phone is on the order's billing address.
    sage_customer(data, 18, "C-FZ8", displaycontact_phone_1="+447700900888")
    shopify_customer(data, 8, email="fz8@x.com")
    shopify_order(data, 108, customer_id=8, billing_address_phone="07700 900888")
    # FZ9: B2B, address postcode + company name equal after folding 'Limited' -> 'Ltd'.
    sage_customer(data, 19, "C-FZ9", displaycontact_companyname="Northwind Traders Ltd",
                  displaycontact_mailaddress_zip="M11AE")
    bc_customer(data, 9, email="fz9@x.com", vat="GB262626262", company="Northwind Traders Limited")
    data.add("bigcommerce", "customer_address", id=91, customer_id=9, company="Northwind Traders Limited",
             postal_code="M1 1AE", country_code="GB")
    bc_order(data, 109, customer_id=9)
    return {"data": data}


@pytest.fixture(scope="module")
def fuzzy(tmp_path_factory) -> Built:
    return build_fixture(tmp_path_factory.mktemp("fuzzy"), **fuzzy_inputs())


@pytest.mark.parametrize(
    "customer_key, suspected, cohort",
    [
        ("email:fz1@x.com", "C-FZ1", "dtc_returning_email_changed"),  # phone
        ("email:fz2@x.com", "C-FZ2", "dtc_returning_email_changed"),  # postcode + similar name
        ("email:fz3@x.com", None, "dtc_new"),  # postcode, name too different
        ("email:fz4@x.com", "C-FZ4B", "dtc_returning_email_changed"),  # phone beats name
        ("email:fz5@x.com", None, "dtc_new"),  # inactive row is never a suspect
        ("vat_number:GB333333333", "C-FZ6", "b2b_new_account"),  # B2B flagged, cohort unchanged
        ("email:fz7@x.com", None, "dtc_new"),  # holding row is never a suspect
        ("email:fz8@x.com", "C-FZ8", "dtc_returning_email_changed"),  # order billing phone
        ("vat_number:GB262626262", "C-FZ9", "b2b_new_account"),  # postcode + company name (B2B)
    ],
)
def test_suspected_duplicate(fuzzy, customer_key, suspected, cohort):
    row = customers(fuzzy)[customer_key]
    assert (row["suspected_sage_customer_id"], row["is_suspected_duplicate"], row["cohort"]) == (
        suspected, suspected is not None, cohort,
    )


def test_suspected_duplicate_action_is_merge(fuzzy):
    assert customers(fuzzy)["email:fz1@x.com"]["recommended_action_code"] == "merge"


def test_b2b_create_action_names_the_suspected_duplicate(fuzzy):
    # A flagged B2B customer keeps its cohort and "create" action, but is told to check
    # the suspected record first so no second master record is keyed.
    row = customers(fuzzy)["vat_number:GB333333333"]
    assert row["recommended_action_code"] == "create"
    assert "Check suspected duplicate Sage customer C-FZ6 first." in row["recommended_action"]
    assert "Check suspected" not in customers(fuzzy)["email:fz5@x.com"]["recommended_action"]


def test_suspected_duplicates_count_includes_b2b(fuzzy):
    # FZ1, FZ2, FZ4, FZ8 (DTC) and FZ6, FZ9 (B2B).
    assert headline(fuzzy)[None]["suspected_duplicates"] == 6
    assert reconciliation(fuzzy)[(None, "duplicate_email_merge")]["customers_affected"] == 6


def test_fuzzy_match_key_choice(fuzzy):
    # FZ4's person name 'pat lee' equals C-FZ4A's; FZ9's company name 'northwind traders ltd'
    # equals C-FZ9's. No other absent customer's name equals an active row's.
    assert reconciliation(fuzzy)[(None, "match_key_choice")]["customers_affected"] == 2


@pytest.fixture(scope="module")
def fuzzy_blocks(tmp_path_factory) -> Built:
    """Blocking keys that must not be used: placeholders and oversized blocks (cap 3)."""
    data = RawData()
    # FB1: a placeholder phone on both sides -> no suspect.
    sage_customer(data, 21, "C-FB1", displaycontact_phone_1="07000 000000")
    shopify_customer(data, 21, email="fb1@x.com", phone="07000000000")
    shopify_order(data, 121, customer_id=21)
    # FB2: a phone held by 4 Sage rows (a switchboard) -> not a block, no suspect.
    for recordno in range(4):
        sage_customer(data, 30 + recordno, f"C-FB2{recordno}", displaycontact_phone_1="020 7946 0200")
    shopify_customer(data, 22, email="fb2@x.com", phone="+44 20 7946 0200")
    shopify_order(data, 122, customer_id=22)
    # FB3 (control): a phone held by 2 Sage rows -> suspect, the lower customerid.
    sage_customer(data, 41, "C-FB3B", displaycontact_phone_1="020 7946 0300")
    sage_customer(data, 40, "C-FB3A", displaycontact_cellphone="020 7946 0300")
    shopify_customer(data, 23, email="fb3@x.com", phone="02079460300")
    shopify_order(data, 123, customer_id=23)
    # FB4: a placeholder postcode with an identical name -> no suspect.
    sage_customer(data, 51, "C-FB4", displaycontact_firstname="Rosa", displaycontact_lastname="Vale",
                  displaycontact_mailaddress_zip="ZZ99 9ZZ")
    shopify_customer(data, 24, email="fb4@x.com", first_name="Rosa", last_name="Vale", zip="zz999zz")
    shopify_order(data, 124, customer_id=24)
    # FB5: 4 absent customers share one phone (a shop's number typed at checkout) -> not a
    # block on the customer side, even though one Sage row has it.
    sage_customer(data, 61, "C-FB5", displaycontact_phone_1="0113 496 0500")
    for n in range(4):
        shopify_customer(data, 250 + n, email=f"fb5-{n}@x.com", phone="0113 496 0500")
        shopify_order(data, 1250 + n, customer_id=250 + n)
    return build_fixture(tmp_path_factory.mktemp("fuzzy_blocks"), data, vars={"fuzzy_max_block_size": 3})


@pytest.mark.parametrize(
    "customer_key, suspected",
    [
        ("email:fb1@x.com", None),
        ("email:fb2@x.com", None),
        ("email:fb3@x.com", "C-FB3A"),
        ("email:fb4@x.com", None),
        ("email:fb5-0@x.com", None),
        ("email:fb5-3@x.com", None),
    ],
)
def test_fuzzy_blocks_skip_placeholders_and_oversized_keys(fuzzy_blocks, customer_key, suspected):
    assert customers(fuzzy_blocks)[customer_key]["suspected_sage_customer_id"] == suspected


# Shopify posts to the US entity, BigCommerce and Adobe Commerce to the UK entity.
POSTCODE_STOREFRONTS = (
    "storefront,store_key,entity_id,default_customer_type\n"
    "shopify,*,US01,dtc\nbigcommerce,*,UK01,b2b\nadobe_commerce,*,UK01,dtc\n"
)


@pytest.fixture(scope="module")
def fuzzy_postcodes(tmp_path_factory) -> Built:
    """Real postcodes of every shape, a busy postcode, and an Adobe company's two names.

    Default settings (block cap 1000). Every Sage row below has an email the customer
    does not use, so each customer is absent and only the fuzzy check can link them.
    """
    data = RawData()
    bc_attributes(data)
    # PC1 (US01): a 5-digit ZIP and the same name -> suspected.
    sage_customer(data, 1, "C-PC1", megaentityid="US01", displaycontact_firstname="Maria",
                  displaycontact_lastname="Garcia", displaycontact_email_1="maria.old@x.com",
                  displaycontact_mailaddress_zip="94105")
    shopify_customer(data, 1, email="pc1@x.com", first_name="Maria", last_name="Garcia", zip="94105")
    shopify_order(data, 101, customer_id=1)
    # PC2 (US01): a ZIP+4 written with spaces on one side; 'Rob Chen' vs 'Robb Chen'.
    sage_customer(data, 2, "C-PC2", megaentityid="US01", displaycontact_firstname="Robb",
                  displaycontact_lastname="Chen", displaycontact_mailaddress_zip="10001-1234")
    shopify_customer(data, 2, email="pc2@x.com", first_name="Rob", last_name="Chen", zip=" 10001-1234 ")
    shopify_order(data, 102, customer_id=2)
    # PC3 (US01): '00000' on both sides with the same name -> a placeholder, no suspect.
    sage_customer(data, 3, "C-PC3", megaentityid="US01", displaycontact_firstname="Lena",
                  displaycontact_lastname="Holt", displaycontact_mailaddress_zip="00000")
    shopify_customer(data, 3, email="pc3@x.com", first_name="Lena", last_name="Holt", zip="00000")
    shopify_order(data, 103, customer_id=3)
    # PC4 (US01): a ZIP code whose Sage row is in the UK entity -> not visible, no suspect.
    sage_customer(data, 4, "C-PC4", megaentityid="UK01", displaycontact_firstname="Omar",
                  displaycontact_lastname="Reyes", displaycontact_mailaddress_zip="60601")
    shopify_customer(data, 4, email="pc4@x.com", first_name="Omar", last_name="Reyes", zip="60601")
    shopify_order(data, 104, customer_id=4)
    # PC5 (UK01, B2B): a business-park postcode held by 100 active Sage rows, exactly one
    # of which is the customer's company -> found despite the block of 100.
    for n in range(100):
        company = "Kestrel Logistics Ltd" if n == 57 else f"Park Tenant {n:03d} Holdings"
        sage_customer(data, 100 + n, f"C-PARK{n:03d}", megaentityid="UK01",
                      displaycontact_companyname=company, displaycontact_mailaddress_zip="RG2 6UB")
    bc_customer(data, 5, email="pc5@x.com", vat="GB515151515", company="Kestrel Logistics Limited")
    data.add("bigcommerce", "customer_address", id=51, customer_id=5, company="Kestrel Logistics Limited",
             postal_code="rg2 6ub", country_code="GB")
    bc_order(data, 105, customer_id=5)
    # PC6 (UK01): an Adobe company registered as 'SMG Communications Limited', trading
    # as 'Severn Media Group Ltd'; Sage keyed it under the trading name -> found only
    # through the trading name (JW of the legal name against it is 0.59).
    sage_customer(data, 6, "C-SEVERN", megaentityid="UK01", name="Severn Media Group Ltd",
                  displaycontact_companyname="Severn Media Group Ltd", displaycontact_mailaddress_zip="GL1 2AB",
                  displaycontact_email_1="ap@severnmedia.co.uk")
    data.add("adobe_commerce", "company", entity_id=6, status=1, company_name="Severn Media Group Ltd",
             legal_name="SMG Communications Limited", company_email="accounts@severn.example",
             vat_tax_id="GB616161616", postcode="GL1 2AB", country_id="GB")
    adobe_customer(data, 60, email="buyer@severn.example")
    data.add("adobe_commerce", "company_advanced_customer_entity", customer_id=60, company_id=6)
    adobe_order(data, 206, customer_id=60)
    return build_fixture(tmp_path_factory.mktemp("fuzzy_postcodes"), data,
                         seeds={"storefronts": POSTCODE_STOREFRONTS})


@pytest.mark.parametrize(
    "customer_key, entity_id, suspected, cohort",
    [
        ("email:pc1@x.com", "US01", "C-PC1", "dtc_returning_email_changed"),  # 5-digit ZIP
        ("email:pc2@x.com", "US01", "C-PC2", "dtc_returning_email_changed"),  # ZIP+4
        ("email:pc3@x.com", "US01", None, "dtc_new"),  # 00000 is a placeholder
        ("email:pc4@x.com", "US01", None, "dtc_new"),  # same ZIP, row not visible in US01
        ("vat_number:GB515151515", "UK01", "C-PARK057", "b2b_new_account"),  # block of 100
        ("vat_number:GB616161616", "UK01", "C-SEVERN", "b2b_new_account"),  # trading name
    ],
)
def test_fuzzy_postcode_shapes(fuzzy_postcodes, customer_key, entity_id, suspected, cohort):
    row = customers(fuzzy_postcodes, entity_id)[customer_key]
    assert (row["suspected_sage_customer_id"], row["is_suspected_duplicate"], row["cohort"]) == (
        suspected, suspected is not None, cohort,
    )


def test_fuzzy_postcodes_nothing_capped(fuzzy_postcodes):
    # The block of 100 is far below the default cap of 1000: nothing is reported.
    assert fuzzy_postcodes.query("select * from dbt_test__audit.fuzzy_blocks_over_cap") == []


def test_adobe_trading_name_counts_in_match_key_choice(fuzzy_postcodes):
    # 'severn media group ltd' (trading name) equals C-SEVERN's company name;
    # 'kestrel logistics ltd' (after folding Limited) equals C-PARK057's.
    row = reconciliation(fuzzy_postcodes)[("UK01", "match_key_choice")]
    assert row["customers_affected"] == 2


@pytest.fixture(scope="module")
def fuzzy_capped(tmp_path_factory) -> Built:
    """A block above a (lowered) cap is reported by the warn test, never dropped silently."""
    data = RawData()
    for n in range(4):
        sage_customer(data, 10 + n, f"C-CAP{n}", displaycontact_firstname="Ivy",
                      displaycontact_lastname=f"Stone{n}", displaycontact_mailaddress_zip="LS1 4AP")
    shopify_customer(data, 1, email="cap@x.com", first_name="Ivy", last_name="Stone0", zip="LS1 4AP")
    shopify_order(data, 101, customer_id=1)
    return build_fixture(tmp_path_factory.mktemp("fuzzy_capped"), data, vars={"fuzzy_max_block_size": 3})


def test_capped_block_is_reported(fuzzy_capped):
    rows = fuzzy_capped.query(
        "select block_side, entity_id, detail_type, blocking_value, block_size, max_block_size "
        "from dbt_test__audit.fuzzy_blocks_over_cap"
    )
    assert rows == [{
        "block_side": "sage", "entity_id": None, "detail_type": "postcode", "blocking_value": "LS14AP",
        "block_size": 4, "max_block_size": 3,
    }]
    # The capped block was not used, so the true duplicate is not found...
    assert customers(fuzzy_capped)["email:cap@x.com"]["suspected_sage_customer_id"] is None


def test_capped_block_warn_test_fires(fuzzy_capped):
    # ...and the build said so: the warn test fuzzy_blocks_over_cap warned.
    run_results = json.loads(
        (fuzzy_capped.duckdb_path.parent / f"target_{fuzzy_capped.duckdb_path.stem}" / "run_results.json").read_text()
    )
    statuses = {result["unique_id"].split(".")[2]: result["status"] for result in run_results["results"]}
    assert statuses["fuzzy_blocks_over_cap"] == "warn"


# --------------------------------------------------------------------------------------
# Fixture 5: another precedence (dtc = vat_number 1, email 2) and a sage_last_synced_at var
# --------------------------------------------------------------------------------------

SWAPPED_PRECEDENCE = (
    "customer_type,match_key,priority\n"
    "b2b,vat_number,1\nb2b,account_ref,2\nb2b,email,3\n"
    "dtc,vat_number,1\ndtc,email,2\n"
)


def swapped_inputs() -> dict:
    data = RawData()
    # P3 as in sage_master: VAT matches C-P3, email does not.
    sage_customer(data, 33, "C-P3", taxid="GB777777777", displaycontact_email_1="p3-old@x.com")
    shopify_customer(data, 132, email="p3@x.com", vat="GB777777777")
    shopify_order(data, 1132, customer_id=132)
    # P4: email only -> still present (email is the second key).
    sage_customer(data, 34, "C-P4", displaycontact_email_1="p4@x.com")
    shopify_customer(data, 133, email="p4@x.com")
    shopify_order(data, 1133, customer_id=133)
    # P5: VAT matches nothing, email matches -> present through the second key.
    sage_customer(data, 35, "C-P5", displaycontact_email_1="p5@x.com")
    shopify_customer(data, 134, email="p5@x.com", vat="GB787878787")
    shopify_order(data, 1134, customer_id=134)
    # Sync timing against sage_last_synced_at = 2026-04-10T12:00:00+01:00 (11:00 UTC).
    shopify_customer(data, 1, email="s1@x.com")
    shopify_order(data, 1, customer_id=1, created_at="2026-04-10T10:00:00Z")  # before -> missing
    shopify_customer(data, 2, email="s2@x.com")
    shopify_order(data, 2, customer_id=2, created_at="2026-04-10T11:00:00Z")  # at -> missing
    shopify_customer(data, 3, email="s3@x.com")
    shopify_order(data, 3, customer_id=3, created_at="2026-04-10T12:30:00+01:00")  # 11:30 UTC -> awaiting
    shopify_customer(data, 5, email="s5@x.com")  # earliest in-window order before the sync -> missing
    shopify_order(data, 51, customer_id=5, created_at="2026-04-09T10:00:00Z")
    shopify_order(data, 52, customer_id=5, created_at="2026-04-12T10:00:00Z")
    return {
        "data": data,
        # A sync four days before as_of: allowed here (the default limit is 72 hours).
        "vars": {"sage_last_synced_at": "2026-04-10T12:00:00+01:00", "sage_sync_max_age_hours": 168},
        "seeds": {"match_key_precedence": SWAPPED_PRECEDENCE},
    }


@pytest.fixture(scope="module")
def swapped(tmp_path_factory) -> Built:
    return build_fixture(tmp_path_factory.mktemp("swapped"), **swapped_inputs())


def test_swapped_precedence_dtc_vat_match_is_present(swapped):
    row = matched(swapped, "vat_number:GB777777777")
    assert (row["is_present"], row["matched_on"], row["matched_sage_customer_id"]) == (True, "vat_number", "C-P3")


def test_swapped_precedence_falls_back_to_email(swapped):
    row = matched(swapped, "vat_number:GB787878787")
    assert (row["is_present"], row["matched_on"]) == (True, "email")


def test_swapped_precedence_absent_customers(swapped):
    assert set(customers(swapped)) == {"email:s1@x.com", "email:s2@x.com", "email:s3@x.com", "email:s5@x.com"}


def test_sage_last_synced_at_var_overrides_default(swapped):
    # The Sage row says 2026-04-14 02:00; the var (11:00 UTC on 10 Apr) wins.
    assert headline(swapped)[None]["sage_last_synced_at"] == datetime(2026, 4, 10, 11, 0)


def test_sync_status_against_var(swapped):
    got = {key: row["sync_status"] for key, row in customers(swapped).items()}
    assert got == {
        "email:s1@x.com": "missing",
        "email:s2@x.com": "missing",  # exactly at the sync instant: not strictly later
        "email:s3@x.com": "awaiting_sync",
        "email:s5@x.com": "missing",  # earliest in-window order decides
    }
    assert customers(swapped)["email:s3@x.com"]["recommended_action_code"] == "wait_for_sync"


# --------------------------------------------------------------------------------------
# Fixture 6: gap_scope = b2b
# --------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def b2b_scope(tmp_path_factory) -> Built:
    data = RawData()
    bc_attributes(data)
    sage_customer(data, 1, "C-DP", displaycontact_email_1="dp@x.com")
    bc_customer(data, 1, email="b1@x.com", vat="GB131313131")  # absent, b2b_new_account
    bc_order(data, 11, customer_id=1)
    bc_customer(data, 2, email="b2@x.com")  # absent, b2b_vat_not_keyed
    bc_order(data, 21, customer_id=2)
    bc_order(data, 22, customer_id=2)
    shopify_customer(data, 3, email="d1@x.com")  # absent DTC, 2 orders
    shopify_order(data, 31, customer_id=3)
    shopify_order(data, 32, customer_id=3)
    shopify_customer(data, 4, email="d2@x.com")  # absent DTC
    shopify_order(data, 41, customer_id=4)
    shopify_customer(data, 5, email="d3@x.com")  # absent DTC
    shopify_order(data, 51, customer_id=5)
    shopify_customer(data, 6, email="dp@x.com")  # present DTC
    shopify_order(data, 61, customer_id=6)
    return build_fixture(tmp_path_factory.mktemp("b2b_scope"), data, vars={"gap_scope": "b2b"})


def test_b2b_scope_headline_counts_only_b2b(b2b_scope):
    row = headline(b2b_scope)[None]
    assert (row["absent_customers"], row["absent_b2b_customers"], row["absent_dtc_customers"],
            row["orders_attached"]) == (2, 2, 0, 3)


def test_b2b_scope_customers_mart_only_b2b(b2b_scope):
    assert {key: row["customer_type"] for key, row in customers(b2b_scope).items()} == {
        "vat_number:GB131313131": "b2b", "email:b2@x.com": "b2b",
    }


def test_b2b_scope_still_measures_dtc_absences(b2b_scope):
    row = reconciliation(b2b_scope)[(None, "b2b_vs_dtc_scope")]
    # d1 (2 orders), d2, d3: the DTC absences the B2B-scoped card leaves out.
    assert (row["customers_affected"], row["orders_affected"]) == (3, 4)


def test_b2b_scope_cohorts(b2b_scope):
    counts = cohort_counts(b2b_scope)
    assert counts == {
        "inactive_in_sage": 0, "b2b_vat_not_keyed": 1, "b2b_new_account": 1,
        "dtc_returning_email_changed": 0, "dtc_new": 0, "dtc_returning_unmatched": 0,
    }


# --------------------------------------------------------------------------------------
# Fixture 7: no data at all
# --------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def empty(tmp_path_factory) -> Built:
    # No rows anywhere: the broken-sync checks would fail the build (an empty Sage
    # customer table is no result); warn here to see that the marts still read zero.
    return build_fixture(tmp_path_factory.mktemp("empty"), RawData(), vars={"sage_sync_check_severity": "warn"})


def test_empty_headline_is_zero(empty):
    rows = headline(empty)
    assert list(rows) == [None]
    row = rows[None]
    assert (row["absent_customers"], row["orders_attached"], row["is_alert"], row["is_b2b_alert"],
            row["sentiment"]) == (0, 0, False, False, "ok")


def test_empty_headline_settings(empty):
    row = headline(empty)[None]
    # Defaults: 7-day window, overall threshold 10, B2B threshold 0; as_of = gap_as_of (UTC).
    assert (row["window_days"], row["alert_threshold"], row["b2b_alert_threshold"], row["as_of"]) == (
        7, 10, 0, datetime(2026, 4, 14, 9, 0),
    )


def test_empty_six_zero_cohorts(empty):
    rows = cohorts(empty)
    assert sorted(rows) == sorted((None, cohort) for cohort in COHORTS)
    assert all(row["customers"] == 0 and row["orders_attached"] == 0 for row in rows.values())


def test_empty_drill_downs_are_empty(empty):
    assert customers(empty) == {} and orders(empty) == {}


def test_reconciliation_reads_the_reasons_seed(empty):
    rows = reconciliation(empty)
    assert (rows[(None, "generic_holding_customer")]["direction"], rows[(None, "duplicate_email_merge")]["direction"]) == (
        "Card may read higher", "Card may read lower",
    )


def test_empty_reconciliation_is_zero(empty):
    rows = reconciliation(empty)
    assert sorted(rows) == sorted((None, reason) for reason in REASONS)
    assert all(row["customers_affected"] == 0 for row in rows.values())


def test_empty_alert_gate_passes(empty):
    gate = empty.alert_gate()
    assert gate.passed and set(gate.statuses.values()) == {"pass"}


# --------------------------------------------------------------------------------------
# Fixtures 8-10: the alert gate
# --------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def one_absent_b2b(tmp_path_factory) -> Built:
    data = RawData()
    bc_attributes(data)
    sage_customer(data, 1, "C-OK", displaycontact_email_1="ok@x.com")
    bc_customer(data, 1, email="b@x.com", vat="GB141414141")  # absent B2B
    bc_order(data, 11, customer_id=1)
    shopify_customer(data, 2, email="ok@x.com")  # present DTC
    shopify_order(data, 21, customer_id=2)
    return build_fixture(tmp_path_factory.mktemp("one_absent_b2b"), data)


def test_one_absent_b2b_fires_b2b_alert_in_mart(one_absent_b2b):
    row = headline(one_absent_b2b)[None]
    assert (row["absent_b2b_customers"], row["is_b2b_alert"], row["is_alert"], row["sentiment"]) == (
        1, True, False, "customer_master_gap",
    )


def test_one_absent_b2b_fails_alert_gate(one_absent_b2b):
    gate = one_absent_b2b.alert_gate()
    assert not gate.passed
    assert gate.status("alert_b2b_customer_master_gap") == "fail"


def test_b2b_threshold_1_passes_alert_gate(one_absent_b2b):
    gate = one_absent_b2b.alert_gate(gap_b2b_alert_threshold=1)
    assert gate.passed


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> Built:
    data = RawData()
    bc_attributes(data)
    sage_customer(data, 1, "C-DTC", displaycontact_email_1="dtc@x.com")
    sage_customer(data, 2, "C-B2B", taxid="GB151515151")
    shopify_customer(data, 1, email="DTC@x.com")
    shopify_order(data, 11, customer_id=1)
    bc_customer(data, 2, email="buyer@b2b.com", vat="GB 151 515 151")
    bc_order(data, 21, customer_id=2)
    return build_fixture(tmp_path_factory.mktemp("clean"), data)


def test_clean_fixture_has_no_gap(clean):
    row = headline(clean)[None]
    assert (row["absent_customers"], row["sentiment"]) == (0, "ok")


def test_clean_fixture_passes_alert_gate(clean):
    gate = clean.alert_gate()
    assert gate.passed and set(gate.statuses.values()) == {"pass"}


@pytest.fixture(scope="module")
def dtc_over_threshold(tmp_path_factory) -> Built:
    data = RawData()
    for customer_id in (1, 2, 3):
        shopify_customer(data, customer_id, email=f"d{customer_id}@x.com")
        shopify_order(data, customer_id * 10, customer_id=customer_id)
    # No Sage row at all: every customer is absent on purpose (the broken-sync check warns).
    return build_fixture(tmp_path_factory.mktemp("dtc_over_threshold"), data,
                         vars={"gap_alert_threshold": 2, "sage_sync_check_severity": "warn"})


@pytest.fixture(scope="module")
def dtc_over_threshold_gate(dtc_over_threshold):
    return dtc_over_threshold.alert_gate()


def test_overall_alert_fires_in_mart(dtc_over_threshold):
    row = headline(dtc_over_threshold)[None]
    # 3 absent DTC > 2: overall alert; 0 B2B: no B2B alert.
    assert (row["absent_customers"], row["alert_threshold"], row["is_alert"], row["is_b2b_alert"],
            row["sentiment"]) == (3, 2, True, False, "customer_master_gap")


def test_overall_alert_is_a_warning(dtc_over_threshold_gate):
    assert dtc_over_threshold_gate.status("alert_customer_master_gap") == "warn"


def test_overall_alert_alone_does_not_fail_the_gate(dtc_over_threshold_gate):
    assert dtc_over_threshold_gate.passed


# --------------------------------------------------------------------------------------
# The marts agree with each other (every non-empty fixture above)
# --------------------------------------------------------------------------------------

AGREEMENT_FIXTURES = ["multi_entity", "sage_master", "identity", "key_values", "fuzzy", "swapped", "b2b_scope"]


@pytest.mark.parametrize("fixture_name", AGREEMENT_FIXTURES)
def test_cohort_sums_equal_headline(request, fixture_name):
    built = request.getfixturevalue(fixture_name)
    for entity_id, row in headline(built).items():
        entity_cohorts = [c for (entity, _), c in cohorts(built).items() if entity == entity_id]
        assert (sum(c["customers"] for c in entity_cohorts), sum(c["orders_attached"] for c in entity_cohorts)) == (
            row["absent_customers"], row["orders_attached"],
        ), entity_id


@pytest.mark.parametrize("fixture_name", AGREEMENT_FIXTURES)
def test_order_values_agree(request, fixture_name):
    built = request.getfixturevalue(fixture_name)
    for entity_id, row in headline(built).items():
        in_cohorts = sum(c["order_value"] for (entity, _), c in cohorts(built).items() if entity == entity_id)
        in_customers = sum(c["order_value_in_window"] for c in customers(built, entity_id).values())
        in_orders = sum(o["order_total"] for o in orders(built, entity_id).values())
        assert in_cohorts == in_customers == in_orders == row["order_value_attached"], entity_id


@pytest.mark.parametrize("fixture_name", AGREEMENT_FIXTURES)
def test_orders_mart_rows_equal_customers_orders(request, fixture_name):
    built = request.getfixturevalue(fixture_name)
    for entity_id, row in headline(built).items():
        in_customers = sum(c["orders_in_window"] for c in customers(built, entity_id).values())
        in_orders = len(orders(built, entity_id))
        assert (in_orders, in_customers) == (row["orders_attached"], row["orders_attached"]), entity_id


@pytest.mark.parametrize("fixture_name", AGREEMENT_FIXTURES)
def test_customers_mart_rows_equal_headline(request, fixture_name):
    built = request.getfixturevalue(fixture_name)
    for entity_id, row in headline(built).items():
        assert len(customers(built, entity_id)) == row["absent_customers"], entity_id
