"""End-to-end fixtures: gap_scope = b2b, no data at all, and the alert gate (an absent B2B
customer, a clean merchant, DTC absences over the overall threshold).

How these fixtures work: tests_py/e2e_fixture_helpers.py.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from e2e_fixture_helpers import (
    COHORTS, REASONS, bc_attributes, bc_customer, bc_order, cohort_counts, cohorts, customers,
    headline, mart_agreement_tests, orders, reconciliation, sage_customer, shopify_customer,
    shopify_order,
)
from e2e_support import Built, RawData, build_fixture


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


# The marts agree with each other (every non-empty fixture above).
(test_cohort_sums_equal_headline, test_order_values_agree, test_orders_mart_rows_equal_customers_orders,
 test_customers_mart_rows_equal_headline) = mart_agreement_tests("b2b_scope")
