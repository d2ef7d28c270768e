"""End-to-end fixtures: several Sage entities (field map, visibility of Sage rows, holding
look-through per entity) and another match-key precedence with a sage_last_synced_at var.

How these fixtures work: tests_py/e2e_fixture_helpers.py.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from e2e_fixture_helpers import (
    COHORTS, adobe_customer, adobe_order, bc_attributes, bc_customer, bc_order, cohorts, customers,
    headline, mart_agreement_tests, matched, orders, reconciliation, sage_customer,
    shopify_customer, shopify_order, sodocument,
)
from e2e_support import Built, RawData, build_fixture


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


# The marts agree with each other (every non-empty fixture above).
(test_cohort_sums_equal_headline, test_order_values_agree, test_orders_mart_rows_equal_customers_orders,
 test_customers_mart_rows_equal_headline) = mart_agreement_tests("multi_entity", "swapped")
