"""Shared builders of the end-to-end fixture tests (tests_py/test_e2e_*.py).

Row helpers write one raw row each (every column not named stays empty), mart readers
return the published marts keyed for the tests, and mart_agreement_tests gives each
module the four checks that its fixtures' marts agree with each other.

How the end-to-end fixture tests work: each module-scoped fixture writes a few rows per
scenario (only the columns the scenario needs; see e2e_support.RawData), builds a private
copy of the project on its own DuckDB file, and the tests read the marts. Scenarios that
cannot interfere (distinct customers, emails, VAT numbers, phones, postcodes) share one
build to keep the number of dbt invocations small. Every expected number is computed by
hand from the project's rules (docs/definition/) and the comment next to it says why.

Five datasets (multi_entity, sage_master, identity, fuzzy, swapped) are written by a
plain function, `<name>_inputs()`, that returns build_fixture's keyword arguments (data,
and vars / seeds where the fixture sets them): the fixture builds them on DuckDB, and
tests_spark/fixture_parity.py builds the same inputs on Spark and DuckDB and compares.

Evaluation instant everywhere: gap_as_of = 2026-04-14T09:00:00Z, 7-day window, so an
order is in the window when 2026-04-07T09:00:00Z < created_at <= 2026-04-14T09:00:00Z.
"""

from __future__ import annotations

import pytest

from e2e_support import Built, RawData

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


def sodocument(data: RawData, recordno, custvendid, ponumber, deleted=False, whencreated=IN_WINDOW, **cols):
    data.add(
        "sage_intacct", "sodocument",
        recordno=recordno, docid=f"SO-{recordno}", custvendid=custvendid, ponumber=ponumber,
        whencreated=whencreated, state="Pending", _fivetran_deleted=deleted, **cols,
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
# The marts agree with each other
# --------------------------------------------------------------------------------------

def mart_agreement_tests(*fixture_names: str):
    """The four checks that the marts agree with each other, as tests over the named
    module-scoped fixtures of the calling module, which assigns them to its own names
    (test_cohort_sums_equal_headline, ...) so that pytest collects them there."""
    over_fixtures = pytest.mark.parametrize("fixture_name", list(fixture_names))

    @over_fixtures
    def test_cohort_sums_equal_headline(request, fixture_name):
        built = request.getfixturevalue(fixture_name)
        for entity_id, row in headline(built).items():
            entity_cohorts = [c for (entity, _), c in cohorts(built).items() if entity == entity_id]
            assert (sum(c["customers"] for c in entity_cohorts), sum(c["orders_attached"] for c in entity_cohorts)) == (
                row["absent_customers"], row["orders_attached"],
            ), entity_id

    @over_fixtures
    def test_order_values_agree(request, fixture_name):
        built = request.getfixturevalue(fixture_name)
        for entity_id, row in headline(built).items():
            in_cohorts = sum(c["order_value"] for (entity, _), c in cohorts(built).items() if entity == entity_id)
            in_customers = sum(c["order_value_in_window"] for c in customers(built, entity_id).values())
            in_orders = sum(o["order_total"] for o in orders(built, entity_id).values())
            assert in_cohorts == in_customers == in_orders == row["order_value_attached"], entity_id

    @over_fixtures
    def test_orders_mart_rows_equal_customers_orders(request, fixture_name):
        built = request.getfixturevalue(fixture_name)
        for entity_id, row in headline(built).items():
            in_customers = sum(c["orders_in_window"] for c in customers(built, entity_id).values())
            in_orders = len(orders(built, entity_id))
            assert (in_orders, in_customers) == (row["orders_attached"], row["orders_attached"]), entity_id

    @over_fixtures
    def test_customers_mart_rows_equal_headline(request, fixture_name):
        built = request.getfixturevalue(fixture_name)
        for entity_id, row in headline(built).items():
            assert len(customers(built, entity_id)) == row["absent_customers"], entity_id

    return (test_cohort_sums_equal_headline, test_order_values_agree,
            test_orders_mart_rows_equal_customers_orders, test_customers_mart_rows_equal_headline)
