"""End-to-end fixture: the Sage master side (single entity, default field map): matching on
VAT number, account reference and e-mail, inactive, deleted and holding rows, sync timing
and the reconciliation reasons.

How these fixtures work: tests_py/e2e_fixture_helpers.py.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from e2e_fixture_helpers import (
    REASONS, adobe_customer, adobe_order, bc_attributes, bc_customer, bc_order, cohort_counts,
    customers, headline, mart_agreement_tests, matched, orders, reconciliation, sage_customer,
    shopify_customer, shopify_order, sodocument,
)
from e2e_support import Built, RawData, build_fixture


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


# The marts agree with each other (every non-empty fixture above).
(test_cohort_sums_equal_headline, test_order_values_agree, test_orders_mart_rows_equal_customers_orders,
 test_customers_mart_rows_equal_headline) = mart_agreement_tests("sage_master")
