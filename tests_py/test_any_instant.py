"""End to end: the card builds, and is right, at any evaluation instant.

Nothing in a build may depend on the day it runs or on the demo's date
(docs/definition/evaluation-instant.md). The demo is built, exactly as `make demo`
builds it (every unit and data test included), at four instants far from its own
and at its own:

- 2020-01-01: before the merchant's first Sage customer (5 Nov 2020) and first order
  (Oct 2025): nothing exists, the card reads zero everywhere;
- 2025-07-20: Sage has the customers created by then, nobody has ordered yet: zero
  absent, and the active Sage customers are the rows created by then;
- 2026-03-01: the cast's present customers are created in Sage by the overnight sync
  after their first order, so the one customer whose first order came on the evening
  before the instant (Gareth Fletcher, 28 Feb 20:26) is not in Sage yet: one absent
  customer, a new DTC customer with one order; the orders placed after the last sync
  before the instant have no Sage sales order yet;
- 2030-01-01: no order in the window, and the data's last Sage sync is years old: the
  sync check fails the build (and says why) unless sage_sync_check_severity is warn;
- 2026-04-14T09:00Z: the worked example (34 absent, 51 orders).
Each build must be green, every unit test must pass in it, and the marts must read
what the cast implies at that instant. Then the same data moved back in time (every
timestamp six and one years earlier) gives the worked example at its own dates, through
the command the README gives for running on one's own data.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest

from dbt_helpers import PROJECT_DIR, DbtInvocationError, connect_read_only, run_dbt

DEMO = PROJECT_DIR / "data" / "demo"
WORKED_EXAMPLE = "2026-04-14T09:00:00Z"
INSTANTS = {
    "2020-01-01T00:00:00Z": {},
    "2025-07-20T00:00:00Z": {},
    "2026-03-01T00:00:00Z": {},
    "2030-01-01T00:00:00Z": {"sage_sync_check_severity": "warn"},
    WORKED_EXAMPLE: {},
}


def query(path: Path, sql: str) -> list[dict]:
    con = connect_read_only(path)
    try:
        cursor = con.execute(sql)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]
    finally:
        con.close()


def results(path: Path) -> list[dict]:
    return json.loads((path.parent / "dbt_target" / "run_results.json").read_text())["results"]


def unit_tests_in_manifest(path: Path) -> set[str]:
    manifest = json.loads((path.parent / "dbt_target" / "manifest.json").read_text())
    return {node["name"] for node in manifest.get("unit_tests", {}).values()}


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    built = {}
    for instant, extra in INSTANTS.items():
        path = tmp_path_factory.mktemp("instant") / "demo.duckdb"
        run_dbt(["build", "--exclude", "tag:alert"], path, vars={"gap_as_of": instant, **extra})
        built[instant] = path
    return built


@pytest.mark.parametrize("instant", list(INSTANTS))
def test_the_build_is_green_and_every_unit_test_passes(builds: dict[str, Path], instant: str) -> None:
    path = builds[instant]
    statuses = {r["unique_id"]: r["status"] for r in results(path)}
    bad = {node: status for node, status in statuses.items() if status not in ("success", "pass", "warn", "no-op")}
    assert bad == {}
    units = {uid.split(".")[-1]: status for uid, status in statuses.items() if uid.startswith("unit_test.")}
    assert set(units) == unit_tests_in_manifest(path) and len(units) >= 8
    assert set(units.values()) == {"pass"}


def headline(path: Path) -> dict:
    (row,) = query(path, "select * from ecom_sage_customer_gap")
    return row


def sage_rows_existing_at(instant: str) -> int:
    """Active, live, non-holding Sage customers whose whencreated is not later than the
    instant: counted from the demo's CSV, as the cast wrote it."""
    cutoff = dt.datetime.fromisoformat(instant.replace("Z", "+00:00"))
    with open(DEMO / "sage_intacct" / "customer.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return sum(
        1 for row in rows
        if row["status"].strip().lower() == "active"
        and row["_fivetran_deleted"].strip().lower() != "true"
        and row["customerid"].strip().upper() != "WEBSALES"
        and dt.datetime.fromisoformat(row["whencreated"].replace("Z", "+00:00")) <= cutoff
    )


@pytest.mark.parametrize("instant", ["2020-01-01T00:00:00Z", "2025-07-20T00:00:00Z", "2030-01-01T00:00:00Z"])
def test_no_order_in_the_window_reads_zero(builds: dict[str, Path], instant: str) -> None:
    path = builds[instant]
    gap = headline(path)
    assert (gap["absent_customers"], gap["orders_attached"], gap["orders_without_sage_order"]) == (0, 0, 0)
    assert not gap["is_alert"] and not gap["is_b2b_alert"] and gap["sentiment"] == "ok"
    assert query(path, "select * from ecom_sage_customer_gap_customers") == []
    assert {row["customers"] for row in query(path, "select * from ecom_sage_customer_gap_cohorts")} == {0}
    (rate,) = query(path, "select * from ecom_sage_customer_match_rate")
    assert (rate["ordering_customers"], rate["match_rate"]) == (0, None)
    assert rate["sage_active_customers"] == sage_rows_existing_at(instant)
    history = query(path, "select as_of, absent_customers from ecom_sage_customer_gap_history")
    assert [(str(r["as_of"]), r["absent_customers"]) for r in history] == [
        (instant.replace("T", " ").rstrip("Z"), 0)]


def test_before_the_first_sage_customer_the_master_is_empty_and_that_is_no_error(builds) -> None:
    (rate,) = query(builds["2020-01-01T00:00:00Z"], "select * from ecom_sage_customer_match_rate")
    assert rate["sage_active_customers"] == 0


def test_a_sage_customer_created_after_the_instant_does_not_exist_then(builds) -> None:
    # 1 March: the cast's one customer who first ordered after the night's sync is absent;
    # everyone else who ordered in the window was created by an earlier sync.
    path = builds["2026-03-01T00:00:00Z"]
    gap = headline(path)
    assert (gap["absent_customers"], gap["absent_b2b_customers"], gap["orders_attached"]) == (1, 0, 1)
    assert gap["order_value_attached"] == Decimal("75.24")
    (customer,) = query(path, "select * from ecom_sage_customer_gap_customers")
    assert (customer["customer_key"], customer["customer_name"], customer["cohort"]) == (
        "email:gareth_fletcher@btinternet.com", "Gareth Fletcher", "dtc_new")
    # The data's last sync (14 Apr) came after the instant: when Sage synced before it is
    # not known, so nobody reads as awaiting the next sync.
    assert customer["sync_status"] == "missing"
    (rate,) = query(path, "select * from ecom_sage_customer_match_rate")
    assert (rate["ordering_customers"], rate["present_customers"], rate["absent_customers"]) == (26, 25, 1)
    assert rate["sage_active_customers"] == sage_rows_existing_at("2026-03-01T00:00:00Z")


def test_a_sales_document_created_after_the_instant_does_not_exist_then(builds) -> None:
    # The four orders of present customers placed on 28 Feb were posted by the sync of
    # 1 March, after the instant: they have no Sage order yet; nor has Gareth's.
    orders = query(builds["2026-03-01T00:00:00Z"],
                   "select storefront, order_number, is_customer_absent from ecom_orders_without_sage_order")
    assert sorted((o["storefront"], o["order_number"], o["is_customer_absent"]) for o in orders) == [
        ("adobe_commerce", "000000132", False),
        ("bigcommerce", "60052", False),
        ("shopify", "#1159", False),
        ("shopify", "#1160", False),
        ("shopify", "#1161", True),
    ]


def test_the_stale_sync_is_reported_with_its_reason(builds) -> None:
    statuses = {r["unique_id"].split(".")[2]: r["status"] for r in results(builds["2030-01-01T00:00:00Z"])}
    assert statuses["sage_sync_is_recent"] == "warn"
    (row,) = query(builds["2030-01-01T00:00:00Z"], "select * from dbt_test__audit.sage_sync_is_recent")
    assert "more than sage_sync_max_age_hours (72 h) before gap_as_of" in row["problem"]
    assert str(row["sage_last_synced_at"]) == "2026-04-14 03:00:00"


def test_at_error_severity_the_stale_sync_fails_the_build(tmp_path: Path) -> None:
    with pytest.raises(DbtInvocationError) as failure:
        run_dbt(["build", "--exclude", "tag:alert", "--select", "+sage_sync_is_recent"], tmp_path / "stale.duckdb",
                vars={"gap_as_of": "2030-01-01T00:00:00Z"})
    assert "sage_sync_is_recent" in str(failure.value)


def test_the_worked_example_at_its_own_instant(builds) -> None:
    gap = headline(builds[WORKED_EXAMPLE])
    assert (gap["absent_customers"], gap["absent_b2b_customers"], gap["orders_attached"]) == (34, 7, 51)


# --- The same data, dated years earlier, evaluated at its own dates ---

def shifted_demo(out: Path, days: int) -> Path:
    """The demo with every timestamp column (those the sources YAML parses as timestamps)
    moved `days` earlier, each value written in its own shape."""
    import sys

    sys.path.insert(0, str(PROJECT_DIR / "scripts"))
    from raw_tables import timestamp_columns  # noqa: PLC0415

    for source_dir in DEMO.iterdir():
        if not source_dir.is_dir():
            continue
        for path in source_dir.glob("*.csv"):
            with open(path, newline="", encoding="utf-8") as handle:
                reader = csv.DictReader(handle)
                header, rows = reader.fieldnames, list(reader)
            columns = timestamp_columns(source_dir.name, path.stem)
            for row in rows:
                for column in columns:
                    if row.get(column):
                        row[column] = shift_text(row[column], days)
            target = out / source_dir.name / path.name
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "w", newline="", encoding="utf-8") as handle:
                writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
                writer.writeheader()
                writer.writerows(rows)
    return out


def shift_text(text: str, days: int) -> str:
    """A timestamp cell moved `days` earlier, keeping its shape: the date part alone moves
    (a whole number of days changes neither the time nor the offset)."""
    stripped = text.strip()
    moved = (dt.date.fromisoformat(stripped[:10]) - dt.timedelta(days=days)).isoformat()
    return text.replace(stripped[:10], moved, 1)


@pytest.mark.parametrize(("days", "as_of"), [(2191, "2020-04-14T09:00:00Z"), (365, "2025-04-14T09:00:00Z")],
                         ids=["2020", "2025"])
def test_the_readme_command_gives_the_card_on_data_dated_in_its_own_past(tmp_path: Path, builds, days, as_of):
    raw = shifted_demo(tmp_path / "raw", days)
    path = tmp_path / "shifted.duckdb"
    # The README's command for one's own data: dbt build --exclude tag:alert with raw_data_path
    # and the data's own instant; every unit and data test runs in it.
    run_dbt(["build", "--exclude", "tag:alert"], path, vars={"raw_data_path": str(raw), "gap_as_of": as_of})
    worked = builds[WORKED_EXAMPLE]
    for mart, key in (("ecom_sage_customer_gap_customers", "customer_key"),
                      ("ecom_sage_customer_gap_cohorts", "cohort"),
                      ("ecom_sage_customer_gap_reconciliation", "reason")):
        drop = {"as_of", "first_order_at_in_window", "first_order_at"}
        mine = sorted(({k: v for k, v in r.items() if k not in drop} for r in query(path, f"select * from {mart}")),
                      key=lambda r: r[key])
        theirs = sorted(({k: v for k, v in r.items() if k not in drop} for r in query(worked, f"select * from {mart}")),
                        key=lambda r: r[key])
        assert mine == theirs, mart
    gap = headline(path)
    assert (gap["absent_customers"], gap["absent_b2b_customers"], gap["orders_attached"]) == (34, 7, 51)
    assert str(gap["as_of"]) == as_of.replace("T", " ").rstrip("Z")
