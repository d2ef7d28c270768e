"""End-to-end fixtures of the sibling cards (docs/definition/sibling-cards.md): B2B
customers with a VAT
number mismatch (`ecom_sage_vat_mismatch`), who is buying against who Sage knows
(`ecom_sage_customer_match_rate`) and ecommerce orders without a Sage order
(`ecom_orders_without_sage_order`, counted on the headline `ecom_sage_customer_gap`).

The siblings share the card's identity, matching and sync timing, so each scenario below
is built around one rule of the sibling itself; who is present, on which key and against
which Sage row follows the rules the other modules test.

How these fixtures work: tests_py/e2e_fixture_helpers.py.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest

from e2e_fixture_helpers import (
    BEFORE_WINDOW, adobe_customer, adobe_order, bc_attributes, bc_customer, bc_order, customers,
    headline, mart_agreement_tests, sage_customer, shopify_customer, shopify_order, sodocument,
)
from e2e_support import Built, RawData, build_fixture

AS_OF = datetime(2026, 4, 14, 9, 0)
AFTER_AS_OF = "2026-04-14T09:30:00Z"  # a Sage row or document keyed after the snapshot
LATER_SYNC = "2026-04-14T09:35:00Z"  # the pull that brought such a row

VAT_COLUMNS = (
    "entity_id", "customer_key", "customer_name", "matched_on", "sage_customer_id",
    "store_vat_numbers", "sage_vat_number", "mismatch", "orders_in_window",
    "order_value_in_window", "as_of",
)
ORDER_COLUMNS = (
    "entity_id", "storefront", "order_id", "order_number", "created_at", "customer_key",
    "is_customer_absent", "currency", "order_total", "sync_status", "as_of",
)
COUNT_COLUMNS = (
    "ordering_customers", "present_customers", "absent_customers",
    "b2b_ordering_customers", "b2b_present_customers", "b2b_absent_customers",
    "dtc_ordering_customers", "dtc_present_customers", "dtc_absent_customers",
)


# --------------------------------------------------------------------------------------
# Mart readers
# --------------------------------------------------------------------------------------

def vat_mismatches(built: Built) -> dict:
    """ecom_sage_vat_mismatch keyed by (entity_id, customer_key), the columns of docs/marts.md."""
    rows = built.query("select * from ecom_sage_vat_mismatch")
    keyed = {(row["entity_id"], row["customer_key"]): {c: row[c] for c in VAT_COLUMNS} for row in rows}
    assert len(keyed) == len(rows), "one row per (entity, customer)"
    return keyed


def vat_row(customer_key, customer_name, matched_on, sage_customer_id, store_vat_numbers,
            sage_vat_number, mismatch, orders_in_window, order_value_in_window, entity_id=None) -> dict:
    return {
        "entity_id": entity_id, "customer_key": customer_key, "customer_name": customer_name,
        "matched_on": matched_on, "sage_customer_id": sage_customer_id,
        "store_vat_numbers": store_vat_numbers, "sage_vat_number": sage_vat_number,
        "mismatch": mismatch, "orders_in_window": orders_in_window,
        "order_value_in_window": Decimal(order_value_in_window), "as_of": AS_OF,
    }


def orders_without_sage_order(built: Built) -> dict:
    """ecom_orders_without_sage_order keyed by (storefront, order_id), the columns of docs/marts.md."""
    rows = built.query("select * from ecom_orders_without_sage_order")
    keyed = {(row["storefront"], row["order_id"]): {c: row[c] for c in ORDER_COLUMNS} for row in rows}
    assert len(keyed) == len(rows), "one row per order"
    return keyed


def order_row(entity_id, storefront, order_id, order_number, created_at, customer_key,
              is_customer_absent, order_total, sync_status) -> dict:
    return {
        "entity_id": entity_id, "storefront": storefront, "order_id": order_id,
        "order_number": order_number, "created_at": created_at, "customer_key": customer_key,
        "is_customer_absent": is_customer_absent, "currency": "GBP",
        "order_total": Decimal(order_total), "sync_status": sync_status, "as_of": AS_OF,
    }


def match_rates(built: Built) -> dict:
    """ecom_sage_customer_match_rate keyed by entity_id."""
    rows = built.query("select * from ecom_sage_customer_match_rate")
    keyed = {row["entity_id"]: row for row in rows}
    assert len(keyed) == len(rows), "one row per entity"
    return keyed


def adobe_company(data: RawData, entity_id, name, vat_tax_id=None, reseller_id=None):
    data.add("adobe_commerce", "company", entity_id=entity_id, status=1, company_name=name,
             legal_name=name, company_email=f"accounts@company{entity_id}.example",
             vat_tax_id=vat_tax_id, reseller_id=reseller_id)


def adobe_buyer_order(data: RawData, company_id, customer_id, order_id, total, order_vat=None):
    """A buyer linked to a company and one in-window order of theirs; ``order_vat`` is the
    VAT number keyed on the order's billing address."""
    adobe_customer(data, customer_id, email=f"buyer{customer_id}@company{company_id}.example")
    data.add("adobe_commerce", "company_advanced_customer_entity", customer_id=customer_id,
             company_id=company_id)
    adobe_order(data, order_id, customer_id=customer_id,
                customer_email=f"buyer{customer_id}@company{company_id}.example", total=total)
    if order_vat is not None:
        data.add("adobe_commerce", "sales_order_address", entity_id=f"{order_id}1", parent_id=order_id,
                 address_type="billing", vat_id=order_vat)


# --------------------------------------------------------------------------------------
# Fixture 1: VAT mismatch, default field map (VAT number, then account reference, then email)
# --------------------------------------------------------------------------------------

def vat_mismatch_inputs() -> dict:
    """One present or absent customer per rule of the VAT card, single entity. Every
    customer's orders are on 10 Apr; every Sage row is synced at 02:00 unless it was keyed
    after the snapshot."""
    data = RawData()
    bc_attributes(data)
    # A: matched on the account reference; the Sage record has no VAT number.
    sage_customer(data, 1, "ACC-A", name="Alder Joinery Ltd")
    bc_customer(data, 11, email="buyer@alder.example", company="Alder Joinery Ltd",
                vat="GB 200 000 001", account_ref=" acc-a ")
    bc_order(data, 111, customer_id=11, total="100.00")
    bc_order(data, 112, customer_id=11, total="50.50")
    # B: matched on reseller_id; two VAT numbers in Adobe Commerce (the company's and one keyed
    # on an order), neither is Sage's.
    sage_customer(data, 2, "ACC-B", taxid="GB200000099")
    adobe_company(data, 2, "Birch Catering Ltd", vat_tax_id="GB200000002", reseller_id="ACC-B")
    adobe_buyer_order(data, 2, 21, 211, "300.00", order_vat="GB 200 000 022")
    # C: Sage's VAT number is the one keyed on the order, not the company's: matched on it.
    sage_customer(data, 3, "ACC-C", taxid="GB200000033")
    adobe_company(data, 3, "Cedar Florists Ltd", vat_tax_id="GB200000003", reseller_id="ACC-C")
    adobe_buyer_order(data, 3, 31, 311, "40.00", order_vat="GB200000033")
    # D: matched on VAT in another format; Sage's contact tax id holds a stale number.
    sage_customer(data, 4, "ACC-D", taxid="200000004", displaycontact_taxid="GB 200 000 044")
    bc_customer(data, 41, email="d@dunmore.example", company="Dunmore Print Ltd", vat="gb 200.000.004")
    bc_order(data, 411, customer_id=41)
    # E, F: DTC customers with a VAT number Sage lacks or holds differently.
    sage_customer(data, 5, "C-E", displaycontact_email_1="e@x.com", taxid="GB200000055")
    shopify_customer(data, 51, email="e@x.com", vat="GB200000005")
    shopify_order(data, 511, customer_id=51)
    sage_customer(data, 6, "C-F", displaycontact_email_1="f@x.com")
    adobe_customer(data, 61, email="f@x.com", taxvat="GB200000006")
    adobe_order(data, 611, customer_id=61)
    # G: the row holding its VAT number was keyed after the snapshot: matched on the
    # account reference to a row without VAT.
    sage_customer(data, 7, "ACC-G", whencreated="2026-01-05T10:00:00Z")
    sage_customer(data, 8, "ACC-G2", taxid="GB200000007", whencreated=AFTER_AS_OF, synced=LATER_SYNC)
    bc_customer(data, 71, email="g@gorse.example", company="Gorse Hardware Ltd", vat="GB200000007",
                account_ref="ACC-G")
    bc_order(data, 711, customer_id=71, total="70.00")
    # H: its only Sage row was keyed after the snapshot: absent, so not on the VAT card.
    sage_customer(data, 9, "ACC-H", taxid="GB200000008", whencreated=AFTER_AS_OF, synced=LATER_SYNC)
    bc_customer(data, 81, email="h@hazel.example", company="Hazel Tools Ltd", vat="GB200000008")
    bc_order(data, 811, customer_id=81)
    # I: its keys reach only an inactive row: absent, not on the VAT card.
    sage_customer(data, 10, "ACC-I", status="inactive")
    bc_customer(data, 91, email="i@ivy.example", company="Ivy Builders Ltd", vat="GB200000009",
                account_ref="ACC-I")
    bc_order(data, 911, customer_id=91)
    # J: a placeholder VAT number in the storefront: no valid VAT number, no mismatch.
    sage_customer(data, 11, "ACC-J", taxid="GB200000010")
    bc_customer(data, 101, email="j@juniper.example", company="Juniper Tiles Ltd", vat="N/A",
                account_ref="ACC-J")
    bc_order(data, 1011, customer_id=101)
    # M: matched on email; Sage keyed another VAT number.
    sage_customer(data, 12, "C-M", displaycontact_email_1="accounts@maple.example", taxid="GB 200 000 013")
    bc_customer(data, 121, email="accounts@maple.example", company="Maple Joinery Ltd", vat="GB200000012")
    bc_order(data, 1211, customer_id=121, total="250.00")
    # N: present, mismatching, but no order in the window.
    sage_customer(data, 13, "ACC-N")
    bc_customer(data, 131, email="n@nettle.example", company="Nettle Supplies Ltd", vat="GB200000014",
                account_ref="ACC-N")
    bc_order(data, 1311, customer_id=131, created_at=BEFORE_WINDOW)
    return {"data": data}


@pytest.fixture(scope="module")
def vat_mismatch(tmp_path_factory) -> Built:
    return build_fixture(tmp_path_factory.mktemp("vat_mismatch"), **vat_mismatch_inputs())


def test_vat_mismatch_rows(vat_mismatch):
    assert vat_mismatches(vat_mismatch) == {
        (None, "vat_number:GB200000001"): vat_row(
            "vat_number:GB200000001", "Alder Joinery Ltd", "account_ref", "ACC-A", "GB200000001", None,
            "vat_missing_in_sage", 2, "150.50"),
        # Both storefront numbers, distinct and sorted; Sage's is neither.
        (None, "vat_number:GB200000002"): vat_row(
            "vat_number:GB200000002", "Birch Catering Ltd", "account_ref", "ACC-B",
            "GB200000002, GB200000022", "GB200000099", "vat_differs", 1, "300.00"),
        # Matched on the account reference: the row keyed after the snapshot does not exist.
        (None, "vat_number:GB200000007"): vat_row(
            "vat_number:GB200000007", "Gorse Hardware Ltd", "account_ref", "ACC-G", "GB200000007", None,
            "vat_missing_in_sage", 1, "70.00"),
        (None, "vat_number:GB200000012"): vat_row(
            "vat_number:GB200000012", "Maple Joinery Ltd", "email", "C-M", "GB200000012", "GB200000013",
            "vat_differs", 1, "250.00"),
    }


def test_customer_matched_on_vat_never_mismatches(vat_mismatch):
    keys = {key for _, key in vat_mismatches(vat_mismatch)}
    # C: Sage's number is one of the customer's (keyed on an order), not its own; D: the
    # formats differ and Sage's contact tax id holds another number. Both matched on VAT.
    assert "vat_number:GB200000003" not in keys
    assert "vat_number:GB200000004" not in keys


def test_dtc_customer_is_never_on_the_vat_card(vat_mismatch):
    keys = {key for _, key in vat_mismatches(vat_mismatch)}
    # E (Sage holds another VAT number) and F (Sage holds none) are present DTC customers.
    assert not keys & {"email:e@x.com", "email:f@x.com"}


def test_sage_row_created_after_as_of_cannot_be_the_matched_row(vat_mismatch):
    row = vat_mismatches(vat_mismatch)[(None, "vat_number:GB200000007")]
    assert (row["matched_on"], row["sage_customer_id"]) == ("account_ref", "ACC-G")


def test_absent_customers_are_not_on_the_vat_card(vat_mismatch):
    keys = {key for _, key in vat_mismatches(vat_mismatch)}
    # H: its only row was keyed after the snapshot; I: only an inactive row. Both absent.
    absent = customers(vat_mismatch)
    assert absent["vat_number:GB200000008"]["cohort"] == "b2b_new_account"
    assert absent["vat_number:GB200000009"]["cohort"] == "inactive_in_sage"
    assert not keys & {"vat_number:GB200000008", "vat_number:GB200000009"}


def test_no_valid_vat_number_in_the_storefront_is_no_mismatch(vat_mismatch):
    assert "account_ref:ACC-J" not in {key for _, key in vat_mismatches(vat_mismatch)}


def test_customer_without_an_order_in_the_window_is_not_on_the_vat_card(vat_mismatch):
    assert "vat_number:GB200000014" not in {key for _, key in vat_mismatches(vat_mismatch)}


def test_vat_mismatch_alert_warns_above_its_threshold(vat_mismatch):
    # The VAT alert is a warn-severity alert test: it fires on the 4 mismatches (default
    # threshold 0) and passes when the threshold allows them.
    def vat_alert(gate):
        names = [name for name in gate.statuses if "vat" in name]
        assert len(names) == 1, gate.statuses
        return gate.statuses[names[0]]

    assert vat_alert(vat_mismatch.alert_gate()) == "warn"
    assert vat_alert(vat_mismatch.alert_gate(gap_vat_mismatch_alert_threshold=4)) == "pass"


# --------------------------------------------------------------------------------------
# Fixture 2: VAT numbers that normalise equal, account reference first in the field map
# --------------------------------------------------------------------------------------

ACCOUNT_REF_FIRST = (
    "customer_type,match_key,priority\n"
    "b2b,account_ref,1\nb2b,vat_number,2\nb2b,email,3\ndtc,email,1\n"
)


def vat_variants_inputs() -> dict:
    """Every trade account is matched on its account reference (the field map tries it
    first), so the VAT numbers are compared after the match, not by it."""
    data = RawData()
    bc_attributes(data)
    equal = (  # (account ref, storefront VAT, Sage taxid, Sage contact tax id)
        ("ACC-XI", "XI 345 6789 12", "GB345678912", None),  # XI = GB
        ("ACC-XL", "xi345000111", "GB 345 000 111", None),  # lower case, spaces
        ("ACC-SP", "gb-123.456.789", "123 456 789", None),  # punctuation, bare number
        ("ACC-12", "GB 123 4567 89 012", "GB123456789012", None),  # 12-digit group number
        ("ACC-GR", "GR 123456780", "EL123456780", None),  # Greece: GR = EL
        ("ACC-DC", "555555555", "N/A", "GB 555 555 555"),  # taxid placeholder falls through
    )
    for k, (ref, store_vat, taxid, contact_taxid) in enumerate(equal, start=1):
        sage_customer(data, k, ref, taxid=taxid, displaycontact_taxid=contact_taxid)
        bc_customer(data, 10 + k, email=f"{ref.lower()}@trade.example", company=f"{ref} Ltd",
                    vat=store_vat, account_ref=ref.lower())
        bc_order(data, 100 + k, customer_id=10 + k)
    # Two storefront numbers, one of them Sage's (keyed on the order as XI).
    sage_customer(data, 20, "ACC-MU", taxid="GB300000011")
    adobe_company(data, 20, "Multi Trade Ltd", vat_tax_id="GB300000010", reseller_id="ACC-MU")
    adobe_buyer_order(data, 20, 201, 2001, "20.00", order_vat="XI 300 000 011")
    # Controls: a number that really differs, and one Sage lacks.
    sage_customer(data, 30, "ACC-DIFF", taxid="GB300000002")
    bc_customer(data, 31, email="diff@trade.example", company="Differ Trading Ltd", vat="GB 300 000 001",
                account_ref="ACC-DIFF")
    bc_order(data, 301, customer_id=31, total="80.00")
    sage_customer(data, 32, "ACC-MISS")
    bc_customer(data, 33, email="miss@trade.example", company="Missing Trading Ltd", vat="GB300000003",
                account_ref="ACC-MISS")
    bc_order(data, 302, customer_id=33, total="90.00")
    return {"data": data, "seeds": {"match_key_precedence": ACCOUNT_REF_FIRST}}


@pytest.fixture(scope="module")
def vat_variants(tmp_path_factory) -> Built:
    return build_fixture(tmp_path_factory.mktemp("vat_variants"), **vat_variants_inputs())


def test_vat_numbers_that_normalise_equal_are_not_a_mismatch(vat_variants):
    # Only the two controls are on the card: XI / GB, case, spaces, punctuation, a bare
    # number, a 12-digit group number, GR / EL, a placeholder taxid falling through to the
    # contact tax id, and a Sage number equal to one of two storefront numbers are not.
    assert vat_mismatches(vat_variants) == {
        (None, "account_ref:ACC-DIFF"): vat_row(
            "account_ref:ACC-DIFF", "Differ Trading Ltd", "account_ref", "ACC-DIFF", "GB300000001",
            "GB300000002", "vat_differs", 1, "80.00"),
        (None, "account_ref:ACC-MISS"): vat_row(
            "account_ref:ACC-MISS", "Missing Trading Ltd", "account_ref", "ACC-MISS", "GB300000003", None,
            "vat_missing_in_sage", 1, "90.00"),
    }


# --------------------------------------------------------------------------------------
# Fixture 3: orders without a Sage order, two entities
# --------------------------------------------------------------------------------------

TWO_ENTITIES = (
    "storefront,store_key,entity_id,default_customer_type\n"
    "shopify,*,UK,dtc\n"
    "bigcommerce,*,UK,b2b\n"
    "adobe_commerce,*,US,dtc\n"
)


def sage_orders_inputs() -> dict:
    """Shopify and BigCommerce post to UK, Adobe Commerce to US. Every Sage customer row is
    top level (visible in both) and synced at 02:00 on 14 Apr, the last sync. p (UK) and q
    (US) are present, a (UK) and b (US) absent, trade account T (UK) present on VAT. One
    order per rule, each with its own total; orders on 10 Apr unless said otherwise."""
    data = RawData()
    bc_attributes(data)
    sage_customer(data, 1, "C-P", displaycontact_email_1="p@x.com")
    sage_customer(data, 2, "C-Q", displaycontact_email_1="q@x.com")
    sage_customer(data, 3, "C-OTHER", displaycontact_email_1="other@x.com")
    sage_customer(data, 4, "WEBSALES", name="Web Sales")
    sage_customer(data, 5, "C-T", taxid="GB500000001")
    shopify_customer(data, 1, email="p@x.com")
    shopify_customer(data, 2, email="a@x.com")
    adobe_customer(data, 3, email="q@x.com")
    adobe_customer(data, 4, email="b@x.com")
    bc_customer(data, 5, email="t@trade.example", vat="GB500000001")

    def shop(order_id, customer_id=1, **cols):
        shopify_order(data, order_id, customer_id=customer_id, total=f"{order_id - 1000}.00", **cols)

    shop(1001)
    sodocument(data, 1, "C-P", "#1001", megaentityid="UK")  # its entity's document
    shop(1002)
    sodocument(data, 2, "C-P", "#1002", megaentityid="US")  # another entity's: does not count
    shop(1003)
    sodocument(data, 3, "C-P", "1003", megaentityid="")  # top level: counts everywhere
    shop(1004)
    sodocument(data, 4, "C-P", "#1004", deleted=True)  # deleted: does not count
    shop(1005)
    sodocument(data, 5, "C-P", "#1005", whencreated=AFTER_AS_OF)  # keyed after the snapshot
    shop(1006)
    sodocument(data, 6, "C-P", "#1006", whencreated="")  # no whencreated: it existed
    shop(1007)
    sodocument(data, 7, "C-P", "#1007", whencreated="2026-04-14T09:00:00Z")  # at as_of: exists
    shop(1008, customer_id=2)
    sodocument(data, 8, "WEBSALES", " #1008 ")  # a holding customer's document counts
    shop(1009, customer_id=2)  # absent customer, no document
    shop(1010)
    sodocument(data, 9, "C-OTHER", "1010")  # another customer's document: Sage has the order
    shop(1011, name="IB-1011")
    sodocument(data, 10, "C-P", "ib-1011")  # compared in lower case
    shop(1012, created_at="2026-04-14T05:00:00Z")  # after the last sync
    shop(1013, created_at="2026-04-14T02:00:00Z")  # at the last sync: not after it
    shop(1014, cancelled_at="2026-04-10T12:00:00Z")  # cancelled: not a valid order
    shop(1015, test="true")  # test order
    shop(1016, created_at=BEFORE_WINDOW)  # before the window
    shop(1017, created_at="2026-04-14T10:00:00Z")  # after as_of: does not exist yet
    shop(1018)
    sodocument(data, 11, "C-P", "##1018")  # only one leading '#' is dropped: '#1018' != '1018'
    adobe_order(data, 2001, customer_id=3, total="21.00")
    sodocument(data, 12, "C-Q", "000002001", megaentityid="US")
    adobe_order(data, 2002, customer_id=3, total="22.00")
    sodocument(data, 13, "C-Q", "000002002", megaentityid="UK")  # another entity's
    adobe_order(data, 2003, customer_id=4, total="23.00")  # absent customer, no document
    adobe_order(data, 2004, customer_id=3, total="24.00")
    sodocument(data, 14, "C-Q", "000002004", megaentityid="")
    bc_order(data, 3001, customer_id=5, total="301.00")
    sodocument(data, 15, "C-T", "#3001")  # one leading '#' dropped from the PO number too
    bc_order(data, 3002, customer_id=5, total="302.00")  # the trade account's order not posted
    return {"data": data, "seeds": {"storefronts": TWO_ENTITIES}}


@pytest.fixture(scope="module")
def sage_orders(tmp_path_factory) -> Built:
    return build_fixture(tmp_path_factory.mktemp("sage_orders"), **sage_orders_inputs())


IN_WINDOW_AT = datetime(2026, 4, 10, 10, 0)

SAGE_ORDERS_LISTED = {
    ("shopify", "1002"): order_row("UK", "shopify", "1002", "#1002", IN_WINDOW_AT, "email:p@x.com", False,
                                   "2.00", "missing"),
    ("shopify", "1004"): order_row("UK", "shopify", "1004", "#1004", IN_WINDOW_AT, "email:p@x.com", False,
                                   "4.00", "missing"),
    ("shopify", "1005"): order_row("UK", "shopify", "1005", "#1005", IN_WINDOW_AT, "email:p@x.com", False,
                                   "5.00", "missing"),
    ("shopify", "1009"): order_row("UK", "shopify", "1009", "#1009", IN_WINDOW_AT, "email:a@x.com", True,
                                   "9.00", "missing"),
    ("shopify", "1012"): order_row("UK", "shopify", "1012", "#1012", datetime(2026, 4, 14, 5, 0),
                                   "email:p@x.com", False, "12.00", "awaiting_sync"),
    ("shopify", "1013"): order_row("UK", "shopify", "1013", "#1013", datetime(2026, 4, 14, 2, 0),
                                   "email:p@x.com", False, "13.00", "missing"),
    ("shopify", "1018"): order_row("UK", "shopify", "1018", "#1018", IN_WINDOW_AT, "email:p@x.com", False,
                                   "18.00", "missing"),
    ("bigcommerce", "3002"): order_row("UK", "bigcommerce", "3002", "3002", IN_WINDOW_AT,
                                       "vat_number:GB500000001", False, "302.00", "missing"),
    ("adobe_commerce", "2002"): order_row("US", "adobe_commerce", "2002", "000002002", IN_WINDOW_AT,
                                          "email:q@x.com", False, "22.00", "missing"),
    ("adobe_commerce", "2003"): order_row("US", "adobe_commerce", "2003", "000002003", IN_WINDOW_AT,
                                          "email:b@x.com", True, "23.00", "missing"),
}


def test_orders_without_sage_order_rows(sage_orders):
    assert orders_without_sage_order(sage_orders) == SAGE_ORDERS_LISTED


def test_sales_document_of_another_entity_does_not_count(sage_orders):
    listed = orders_without_sage_order(sage_orders)
    # #1002 (UK) has only a US document, 000002002 (US) only a UK one; a top-level document
    # (#1003, 000002004) and the entity's own (#1001, 000002001) count.
    assert {("shopify", "1002"), ("adobe_commerce", "2002")} <= set(listed)
    assert not {("shopify", "1001"), ("shopify", "1003"), ("adobe_commerce", "2001"),
                ("adobe_commerce", "2004")} & set(listed)


def test_deleted_sales_document_does_not_count(sage_orders):
    assert ("shopify", "1004") in orders_without_sage_order(sage_orders)


def test_sales_document_created_after_as_of_does_not_exist(sage_orders):
    listed = orders_without_sage_order(sage_orders)
    # Keyed at 09:30 (after the 09:00 snapshot): listed. Without whencreated, or at 09:00
    # exactly: it existed.
    assert ("shopify", "1005") in listed
    assert not {("shopify", "1006"), ("shopify", "1007")} & set(listed)


def test_holding_customer_document_counts_as_a_sage_order(sage_orders):
    listed = orders_without_sage_order(sage_orders)
    assert ("shopify", "1008") not in listed
    # ... and the absent customer's other order, with no document, is listed.
    assert listed[("shopify", "1009")]["is_customer_absent"] is True


def test_document_of_another_customer_counts_as_a_sage_order(sage_orders):
    assert ("shopify", "1010") not in orders_without_sage_order(sage_orders)


def test_po_numbers_compare_trimmed_lower_case_one_hash_dropped(sage_orders):
    listed = orders_without_sage_order(sage_orders)
    assert not {("shopify", "1011"), ("bigcommerce", "3001")} & set(listed)
    assert ("shopify", "1018") in listed  # '##1018' keeps one '#'


def test_only_valid_in_window_orders_are_listed(sage_orders):
    listed = orders_without_sage_order(sage_orders)
    assert not {("shopify", str(order_id)) for order_id in (1014, 1015, 1016, 1017)} & set(listed)


def test_sync_status_of_each_listed_order(sage_orders):
    listed = orders_without_sage_order(sage_orders)
    # Created after the last sync (02:00) -> awaiting_sync; at the sync instant -> missing.
    assert listed[("shopify", "1012")]["sync_status"] == "awaiting_sync"
    assert listed[("shopify", "1013")]["sync_status"] == "missing"


def test_headline_counts_orders_without_sage_order(sage_orders):
    by_entity = headline(sage_orders)
    got = {entity: (row["orders_without_sage_order"], row["orders_without_sage_order_value"])
           for entity, row in by_entity.items()}
    assert got == {
        "UK": (8, Decimal("365.00")),  # 2 + 4 + 5 + 9 + 12 + 13 + 18 + 302
        "US": (2, Decimal("45.00")),  # 22 + 23
    }


# --------------------------------------------------------------------------------------
# Fixture 4: match rate and active Sage customers, three entities, B2B-only card
# --------------------------------------------------------------------------------------

THREE_ENTITIES = (
    "storefront,store_key,entity_id,default_customer_type\n"
    "shopify,*,UK,dtc\n"
    "bigcommerce,*,UK,b2b\n"
    "bigcommerce,2,US,b2b\n"
    "adobe_commerce,*,US,dtc\n"
    "adobe_commerce,9,IE,dtc\n"
)
WEBSALES_IN_UK = "sage_customer_id,entity_id,description\nWEBSALES,UK,Generic web-sales customer (UK)\n"


def match_rate_inputs() -> dict:
    """UK, US and IE (an Adobe Commerce store nobody ordered from), the card scoped to B2B
    (gap_scope b2b): the match rate still counts every customer. Sage rows have no
    whencreated (they existed) unless said otherwise.

    Active Sage customers: UK = T1, T2, UK1, UK2 (4); US = T1, T2, WEBSALES (a holding
    customer in UK only), US1, US3 (5); IE = T1, T2, WEBSALES, IE1 (4). Never counted:
    ROOT (top level, RootOnly), DEL (deleted), FUT (keyed after the snapshot), US2 and IEX
    (inactive).
    """
    data = RawData()
    bc_attributes(data)
    sage_customer(data, 1, "C-T1", displaycontact_email_1="t1@x.com")
    sage_customer(data, 2, "C-T2", status="ACTIVE", displaycontact_email_1="t2@x.com")
    sage_customer(data, 3, "C-ROOT", objectrestriction="RootOnly", displaycontact_email_1="root@x.com")
    sage_customer(data, 4, "C-UK1", megaentityid="UK", taxid="GB600000001")
    sage_customer(data, 5, "C-UK2", megaentityid="UK", taxid="GB600000003")
    sage_customer(data, 6, "C-US1", megaentityid="US", displaycontact_email_1="us1@x.com")
    sage_customer(data, 7, "C-US2", megaentityid="US", status="inactive")
    sage_customer(data, 8, "C-US3", megaentityid="US", status="Active")
    sage_customer(data, 9, "C-DEL", deleted=True, displaycontact_email_1="del@x.com")
    sage_customer(data, 10, "C-FUT", whencreated=AFTER_AS_OF, synced=LATER_SYNC,
                  displaycontact_email_1="fut@x.com")
    sage_customer(data, 11, "WEBSALES", name="Web Sales")
    sage_customer(data, 12, "C-IE1", megaentityid="IE")
    sage_customer(data, 13, "C-IEX", megaentityid="IE", status="Inactive")
    # UK, DTC: t1 present; x1 absent; root only on a RootOnly row; us1 only on a US row.
    for customer_id, email in ((1, "t1@x.com"), (2, "x1@x.com"), (3, "root@x.com"), (7, "us1@x.com")):
        shopify_customer(data, customer_id, email=email)
        shopify_order(data, 100 + customer_id, customer_id=customer_id)
    # UK, B2B (channel 1): 4 present (UK1), 5 absent. 6 present in UK (UK2), absent in US.
    bc_customer(data, 4, email="b4@trade.example", vat="GB600000001")
    bc_order(data, 204, customer_id=4, channel_id=1)
    bc_customer(data, 5, email="b5@trade.example", vat="GB600000002")
    bc_order(data, 205, customer_id=5, channel_id=1)
    bc_customer(data, 6, email="b6@trade.example", vat="GB600000003")
    bc_order(data, 206, customer_id=6, channel_id=1)
    bc_order(data, 207, customer_id=6, channel_id=2)
    # US, DTC: t2 present ('ACTIVE'), us1 present (US1), fut and del absent.
    for customer_id, email in ((1, "t2@x.com"), (2, "us1@x.com"), (3, "fut@x.com"), (4, "del@x.com")):
        adobe_customer(data, customer_id, email=email)
        adobe_order(data, 300 + customer_id, customer_id=customer_id)
    return {"data": data, "vars": {"gap_scope": "b2b"},
            "seeds": {"storefronts": THREE_ENTITIES, "holding_customers": WEBSALES_IN_UK}}


@pytest.fixture(scope="module")
def match_rate(tmp_path_factory) -> Built:
    return build_fixture(tmp_path_factory.mktemp("match_rate"), **match_rate_inputs())


def test_match_rate_counts(match_rate):
    got = {entity: tuple(row[c] for c in COUNT_COLUMNS) for entity, row in match_rates(match_rate).items()}
    assert got == {
        # all (ordering, present, absent), b2b (...), dtc (...)
        "UK": (7, 3, 4, 3, 2, 1, 4, 1, 3),
        "US": (5, 2, 3, 1, 0, 1, 4, 2, 2),
        "IE": (0, 0, 0, 0, 0, 0, 0, 0, 0),
    }


def test_absent_plus_present_is_ordering_per_type(match_rate):
    for entity, row in match_rates(match_rate).items():
        for prefix in ("", "b2b_", "dtc_"):
            assert row[f"{prefix}present_customers"] + row[f"{prefix}absent_customers"] == \
                row[f"{prefix}ordering_customers"], (entity, prefix)
        assert row["b2b_ordering_customers"] + row["dtc_ordering_customers"] == row["ordering_customers"], entity


def test_match_rate_is_present_over_ordering(match_rate):
    rates = {entity: row["match_rate"] for entity, row in match_rates(match_rate).items()}
    assert rates["UK"] == pytest.approx(3 / 7)
    assert rates["US"] == pytest.approx(2 / 5)


def test_match_rate_is_null_when_nobody_ordered(match_rate):
    assert match_rates(match_rate)["IE"]["match_rate"] is None


def test_match_rate_counts_every_type_whatever_gap_scope(match_rate):
    # The card is scoped to B2B: its headline counts only the absent B2B customers, the
    # match rate every absent customer.
    by_entity = headline(match_rate)
    rates = match_rates(match_rate)
    assert {entity: by_entity[entity]["absent_customers"] for entity in ("UK", "US")} == {"UK": 1, "US": 1}
    assert {entity: rates[entity]["absent_customers"] for entity in ("UK", "US")} == {"UK": 4, "US": 3}
    for entity in ("UK", "US"):
        assert rates[entity]["b2b_absent_customers"] == by_entity[entity]["absent_b2b_customers"], entity


def test_sage_active_customers_counts_visible_live_existing_active_non_holding_rows(match_rate):
    got = {entity: row["sage_active_customers"] for entity, row in match_rates(match_rate).items()}
    assert got == {"UK": 4, "US": 5, "IE": 4}


def test_match_rate_rows_carry_as_of(match_rate):
    assert {row["as_of"] for row in match_rates(match_rate).values()} == {AS_OF}


# The card's own marts agree with each other on these fixtures too.
(test_cohort_sums_equal_headline, test_order_values_agree, test_orders_mart_rows_equal_customers_orders,
 test_customers_mart_rows_equal_headline) = mart_agreement_tests("vat_mismatch", "sage_orders", "match_rate")
