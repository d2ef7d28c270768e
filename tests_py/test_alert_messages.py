"""Alerts people can read: with two Sage entities, each failing alert row names its
entity, the count and the threshold, and the printed card says the same."""

from __future__ import annotations

import subprocess
import sys

import pytest

from dbt_helpers import PROJECT_DIR
from e2e_support import Built, RawData, build_fixture
from e2e_fixture_helpers import bc_attributes, bc_customer, bc_order, sage_customer, shopify_customer, shopify_order

# Shopify posts to the US entity, BigCommerce and Adobe Commerce to the UK entity.
TWO_ENTITIES = (
    "storefront,store_key,entity_id,default_customer_type\n"
    "shopify,*,US01,dtc\nbigcommerce,*,UK01,b2b\nadobe_commerce,*,UK01,dtc\n"
)


@pytest.fixture(scope="module")
def two_entities(tmp_path_factory) -> Built:
    data = RawData()
    bc_attributes(data)
    sage_customer(data, 1, "C-OK", displaycontact_email_1="ok@x.com")
    bc_customer(data, 1, email="b1@x.com", vat="GB141414141")  # absent B2B, UK01
    bc_order(data, 11, customer_id=1)
    bc_customer(data, 2, email="b2@x.com", vat="GB252525252")  # absent B2B, UK01
    bc_order(data, 12, customer_id=2)
    shopify_customer(data, 3, email="d@x.com")  # absent DTC, US01
    shopify_order(data, 31, customer_id=3)
    shopify_customer(data, 4, email="ok@x.com")  # present DTC, US01
    shopify_order(data, 41, customer_id=4)
    return build_fixture(tmp_path_factory.mktemp("alert_messages"), data,
                         vars={"gap_alert_threshold": 0}, seeds={"storefronts": TWO_ENTITIES})


def stored_messages(built: Built, test: str) -> set[str]:
    return {row["message"] for row in built.query(f"select message from dbt_test__audit.{test}")}


def test_each_failing_alert_row_names_its_entity_count_and_threshold(two_entities: Built) -> None:
    gate = two_entities.alert_gate()
    assert not gate.passed
    assert stored_messages(two_entities, "alert_b2b_customer_master_gap") == {
        "B2B absent 2 > threshold 0 in UK01",
    }
    assert stored_messages(two_entities, "alert_customer_master_gap") == {
        "Absent customers 2 > threshold 0 in UK01",
        "Absent customers 1 > threshold 0 in US01",
    }


def test_card_prints_the_same_messages(two_entities: Built) -> None:
    out = subprocess.run([sys.executable, str(PROJECT_DIR / "scripts" / "print_card.py"),
                          "--database", str(two_entities.duckdb_path)],
                         capture_output=True, text=True, check=True).stdout
    assert "ALERT: B2B absent 2 > threshold 0 in UK01  (B2B gate FIRES)" in out
    assert "ALERT: Absent customers 1 > threshold 0 in US01  (overall, warns)" in out
    assert "B2B absent 0" not in out, "an entity without absent B2B customers raises no B2B alert"
