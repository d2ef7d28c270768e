"""The demo, landed in PostgreSQL as the connectors land it and built there in warehouse
mode, publishes the same marts as the demo built on DuckDB in file mode.

The demo's raw folder is landed typed (scripts/postgres_landing.py): every column of it
fits its connector type, so the build reads timestamps, booleans, money and ids as a
team's warehouse holds them. The build is the whole of `dbt build --exclude tag:alert`,
unit and data tests included, which must pass on PostgreSQL as on DuckDB. Then the five
marts and the rejected input rows are compared row for row, the card's numbers are
checked against the worked example, and the alert gate must say the same on both.
"""

from __future__ import annotations

import json

import pytest

from conftest import PARITY_RESULTS
from pg_support import COMPARED


def test_the_demo_lands_typed(demo_builds):
    """Every column of the demo fits the type its connector gives it: nothing lands as
    text because of its value."""
    assert demo_builds.text_columns() == []
    types = {(table.source, table.table): table.types for table in demo_builds.landed}
    assert types[("shopify", "order")]["created_at"] == "timestamptz"
    assert types[("shopify", "order")]["total_price"] == "numeric"
    assert types[("shopify", "order")]["id"] == "bigint"
    assert types[("bigcommerce", "orders")]["is_deleted"] == "boolean"
    assert types[("sage_intacct", "customer")]["customerid"] == "text"


@pytest.mark.parametrize("mart", COMPARED)
def test_mart_is_the_same_on_postgres(demo_builds, mart):
    same, line = demo_builds.compare_mart(mart)
    PARITY_RESULTS.append(line.splitlines()[0])
    assert same, line


def test_the_card_is_the_worked_example(demo_builds):
    """The headline read on PostgreSQL is the card of the README: 34 absent (7 B2B),
    51 orders worth 50,408.20, 6 suspected duplicates, 2 awaiting the next sync."""
    columns, rows = demo_builds.postgres_rows("marts.ecom_sage_customer_gap")
    headline = dict(zip(columns, rows[0]))
    assert len(rows) == 1
    assert (headline["absent_customers"], headline["absent_b2b_customers"], headline["orders_attached"],
            str(headline["order_value_attached"]), headline["suspected_duplicates"], headline["awaiting_sync"]) == (
        34, 7, 51, "50408.20", 6, 2)


def alert_gate(builds, target: str) -> dict[str, tuple[str, int]]:
    """`dbt test --select tag:alert`: each alert's status and number of failing rows."""
    builds.run(target, "test", "--select", "tag:alert")
    results = json.loads((builds.workdir / f"target-{target}" / "run_results.json").read_text(encoding="utf-8"))
    return {result["unique_id"].split(".")[2]: (result["status"], result.get("failures"))
            for result in results["results"]}


def test_alert_gate_is_the_same_on_postgres(demo_builds):
    on_duckdb = alert_gate(demo_builds, "duckdb")
    on_postgres = alert_gate(demo_builds, "postgres")
    assert on_duckdb == {
        "alert_b2b_customer_master_gap": ("fail", 1),
        "alert_customer_master_gap": ("warn", 1),
        "alert_vat_mismatch": ("warn", 1),
    }
    assert on_postgres == on_duckdb
