"""End-to-end fixtures: storefront identity and orders (guests, deleted records, window
edges, cohorts) and where a customer's key values come from.

How these fixtures work: tests_py/e2e_fixture_helpers.py.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest

from e2e_fixture_helpers import (
    BEFORE_WINDOW, adobe_customer, adobe_order, bc_attributes, bc_customer, bc_order, cohort_counts,
    customers, headline, mart_agreement_tests, matched, orders, sage_customer, shopify_customer,
    shopify_order,
)
from e2e_support import Built, RawData, build_fixture


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
    # docs/definition/identity.md: "The customer's key values, names, phones and postcodes are
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
    # docs/definition/identity.md: key values include "the vat_id of its Adobe Commerce customer
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
    # docs/definition/identity.md: an unidentified customer "counts, and can never match" - even though one
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


# The marts agree with each other (every non-empty fixture above).
(test_cohort_sums_equal_headline, test_order_values_agree, test_orders_mart_rows_equal_customers_orders,
 test_customers_mart_rows_equal_headline) = mart_agreement_tests("identity", "key_values")
