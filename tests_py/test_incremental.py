"""Incremental refresh: a scheduled run on new data gives the marts a full rebuild gives.

A small scale dataset (scripts/demo_data/scale.py, R0.005: 5,000 storefront customers and
50,000 orders over two years, two Sage entities) is built once. The same dataset one
week later, with 1 % new customers and orders (``--increment 0.01``), then replaces it
in the same folder (a scheduled run reads the same source) and is built two ways:
incrementally on top of the first build (what a scheduled run does: only the orders of
the lookback period are re-read) and from scratch into a new database. The eight marts
must be identical, row for row.

A negative control shows the comparison can fail: with a lookback of 0 days the
incremental run misses the new orders created before the previous run's latest order,
and the marts differ.

Then the stored orders' three old ways to lie, on modified copies of the demo, each
compared the same way with a full build: an order dated 2099 (later runs used to skip
every new order, and its correction was never read), an order removed from the export
inside the lookback (it used to stay), and a run on other data into the same database
(the stored demo orders used to stay and the other data's older orders were skipped).
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from e2e_support import PROJECT_DIR, build, project_copy  # noqa: E402
from mart_snapshot import MARTS  # noqa: E402  (scripts/ is on the path through e2e_support)

SCALE = 0.005
INCREMENT = 0.01


def generate(out: Path, increment: float = 0.0, threads: int | None = None) -> dict:
    command = [sys.executable, str(PROJECT_DIR / "scripts" / "generate_demo_data.py"),
               "--scale", str(SCALE), "--out", str(out)]
    if increment:
        command += ["--increment", str(increment)]
    if threads:
        command += ["--threads", str(threads)]
    subprocess.run(command, check=True, capture_output=True, text=True)
    return json.loads((out / "dataset.json").read_text())


@pytest.fixture(scope="module")
def incremental_setup(tmp_path_factory):
    """Base dataset built once; the increment dataset; the project with its field map.

    Both builds read the folder ``source``: first a copy of the base dataset, then,
    for every later run, a copy of the increment (the stored orders remember which
    source they were read from, and another folder would be another source).
    """
    root = tmp_path_factory.mktemp("incremental")
    base_dir, increment_dir, source = root / "base", root / "increment", root / "source"
    base = generate(base_dir)
    later = generate(increment_dir, INCREMENT)
    project = project_copy(
        root, seeds={"storefronts": (base_dir / "seeds" / "storefronts.csv").read_text()})
    base_db = root / "base_db" / "ecom_sage_gap.duckdb"
    base_db.parent.mkdir()
    shutil.copytree(base_dir, source)
    build(project, source, base_db, vars={"gap_as_of": base["gap_as_of"]})
    shutil.rmtree(source)
    shutil.copytree(increment_dir, source)
    return {
        "root": root, "project": project, "base_db": base_db,
        "increment_dir": increment_dir, "source": source, "increment_as_of": later["gap_as_of"],
        "base_as_of": base["gap_as_of"],
    }


def incremental_run(setup, name: str, extra_vars: dict | None = None) -> Path:
    """Copy the base database and run the scheduled build on the increment."""
    database = setup["root"] / name / "ecom_sage_gap.duckdb"
    database.parent.mkdir()
    shutil.copy2(setup["base_db"], database)
    run = build(setup["project"], setup["source"], database,
                vars={"gap_as_of": setup["increment_as_of"], **(extra_vars or {})})
    assert run.statuses["int_ecom_orders"] == "success"
    assert stored_orders_run_mode(database) == "re-read"  # not a rebuild
    return database


@pytest.fixture(scope="module")
def full_rebuild(incremental_setup):
    database = incremental_setup["root"] / "full" / "ecom_sage_gap.duckdb"
    database.parent.mkdir()
    build(incremental_setup["project"], incremental_setup["increment_dir"], database,
          vars={"gap_as_of": incremental_setup["increment_as_of"]})
    return database


def mart_differences(left: Path, right: Path, tables: tuple[str, ...] = MARTS) -> dict[str, tuple[int, int, int]]:
    """Per mart (or other table): (rows in left, rows only in left, rows only in right)."""
    con = duckdb.connect()
    try:
        con.execute(f"attach '{left}' as l (read_only)")
        con.execute(f"attach '{right}' as r (read_only)")
        result = {}
        for mart in tables:
            # The marts live in schema marts; the stored orders (int_*) in main.
            schema = "marts" if mart in MARTS else "main"
            rows = con.execute(f"select count(*) from l.{schema}.{mart}").fetchone()[0]
            only_left = con.execute(
                f"select count(*) from (select * from l.{schema}.{mart} except all "
                f"select * from r.{schema}.{mart})").fetchone()[0]
            only_right = con.execute(
                f"select count(*) from (select * from r.{schema}.{mart} except all "
                f"select * from l.{schema}.{mart})").fetchone()[0]
            result[mart] = (rows, only_left, only_right)
        return result
    finally:
        con.close()


def stored_orders(database: Path) -> int:
    con = duckdb.connect(str(database), read_only=True)
    try:
        return con.execute("select count(*) from main.int_ecom_orders").fetchone()[0]
    finally:
        con.close()


def table_differences(left: Path, right: Path) -> dict[str, tuple[int, int, int]]:
    """Per raw table file: (rows in left, rows only in left, rows only in right)."""
    con = duckdb.connect()
    try:
        result = {}
        for path in sorted(left.glob("*/*.parquet")):
            name = f"{path.parent.name}.{path.stem}"
            a = f"read_parquet('{path}')"
            b = f"read_parquet('{right / path.parent.name / path.name}')"
            result[name] = con.execute(
                f"select (select count(*) from {a}), "
                f"(select count(*) from (select * from {a} except all select * from {b})), "
                f"(select count(*) from (select * from {b} except all select * from {a}))"
            ).fetchone()
        return result
    finally:
        con.close()


def test_scale_data_is_deterministic_at_any_thread_count(incremental_setup, tmp_path):
    again = tmp_path / "again"
    generate(again, threads=1)
    differences = table_differences(incremental_setup["root"] / "base", again)
    assert len(differences) == 18
    assert all(rows > 0 for name, (rows, _, _) in differences.items()
               if name != "bigcommerce.customer_attribute"), differences
    assert {name: diff[1:] for name, diff in differences.items()} == {name: (0, 0) for name in differences}


def test_increment_keeps_every_base_order_and_adds_a_week_later(incremental_setup):
    assert incremental_setup["increment_as_of"] > incremental_setup["base_as_of"]
    differences = table_differences(incremental_setup["root"] / "base", incremental_setup["increment_dir"])
    for table in ("shopify.order", "bigcommerce.orders", "adobe_commerce.sales_order", "shopify.customer"):
        rows, only_base, _ = differences[table]
        assert rows > 0 and only_base == 0, (table, differences[table])


def test_incremental_run_gives_the_marts_of_a_full_rebuild(incremental_setup, full_rebuild):
    incremental_db = incremental_run(incremental_setup, "scheduled")
    differences = mart_differences(incremental_db, full_rebuild)
    # The comparison is not empty: the week's absent customers and their orders are there.
    assert differences["ecom_sage_customer_gap_customers"][0] > 0
    assert differences["ecom_sage_customer_gap_orders"][0] > 0
    assert {mart: diff[1:] for mart, diff in differences.items()} == {mart: (0, 0) for mart in MARTS}
    # Nothing lost or duplicated in the stored orders either.
    assert stored_orders(incremental_db) == stored_orders(full_rebuild)


def test_comparison_detects_an_incremental_run_that_misses_orders(incremental_setup, full_rebuild):
    # Negative control: a lookback of 0 days misses the new orders created before the
    # previous run's latest order, so the marts must differ.
    incremental_db = incremental_run(
        incremental_setup, "no_lookback", {"orders_incremental_lookback_days": 0})
    differences = mart_differences(incremental_db, full_rebuild)
    assert any(diff[1] or diff[2] for diff in differences.values()), differences
    assert stored_orders(incremental_db) < stored_orders(full_rebuild)


# --------------------------------------------------------------------------------------
# The stored orders cannot lie: three ways a scheduled run used to keep a wrong state.
# Each builds the demo (modified copies under tmp_path), runs the scheduled build on
# the stored state and compares the eight marts with a full build of the same data.

DEMO_DIR = PROJECT_DIR / "data" / "demo"
DEMO_AS_OF = "2026-04-14T09:00:00Z"
DATABASE_NAME = "ecom_sage_gap.duckdb"  # one name everywhere: the source database defaults to it
_DATE = re.compile(r"^(\s*)(\d{4}-\d{2}-\d{2})(?=$|[T ])")


def demo_copy(target: Path) -> Path:
    shutil.copytree(DEMO_DIR, target, ignore=shutil.ignore_patterns("*.md"))
    return target


def read_table(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def write_table(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def shift_dates(directory: Path, days: int) -> None:
    """Move every date and timestamp cell of every table by ``days`` days (same time, same offset)."""
    def shift(cell: str) -> str:
        match = _DATE.match(cell)
        if not match:
            return cell
        moved = date.fromisoformat(match.group(2)) + timedelta(days=days)
        return match.group(1) + moved.isoformat() + cell[match.end():]

    for path in directory.glob("*/*.csv"):
        header, rows = read_table(path)
        write_table(path, header, [{k: shift(v) for k, v in row.items()} for row in rows])


def shifted(instant: str, days: int) -> str:
    return (datetime.fromisoformat(instant) + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")


def new_database(root: Path, name: str, copy_of: Path | None = None) -> Path:
    database = root / name / DATABASE_NAME
    database.parent.mkdir(parents=True)
    if copy_of is not None:
        shutil.copy2(copy_of, database)
    return database


def stored_orders_run_mode(database: Path) -> str | None:
    """How the last run on ``database`` refreshed int_ecom_orders, from the SQL it ran
    (dbt's target/run copy): ``re-read`` (the incremental strategy replaced the re-read
    range), ``rebuild`` (it replaced every stored order), ``None`` (neither: a first or
    --full-refresh build)."""
    found = list((database.parent / f"target_{database.stem}" / "run").rglob("int_ecom_orders.sql"))
    assert len(found) == 1, found
    marker = re.search(r"-- stored orders: (re-read|rebuild)\b", found[0].read_text())
    return marker.group(1) if marker else None


def scheduled_equals_full(project: Path, source: Path, stored: Path, root: Path, name: str,
                          gap_as_of: str) -> dict[str, tuple[int, int, int]]:
    """The scheduled build on ``stored`` and a full build into a new database, both of
    ``source`` at ``gap_as_of``: the differences of the eight marts and of the stored
    orders (see mart_differences)."""
    build(project, source, stored, vars={"gap_as_of": gap_as_of})
    full = new_database(root, name + "_full")
    build(project, source, full, vars={"gap_as_of": gap_as_of})
    return mart_differences(stored, full, MARTS + ("int_ecom_orders",))


def no_differences(differences: dict[str, tuple[int, int, int]]) -> bool:
    return all(diff[1:] == (0, 0) for diff in differences.values())


@pytest.fixture(scope="module")
def demo_reference(tmp_path_factory):
    """The demo as bundled, built once: the project copy and its database."""
    root = tmp_path_factory.mktemp("demo_reference")
    project = project_copy(root)
    database = new_database(root, "reference")
    build(project, DEMO_DIR, database, vars={"gap_as_of": DEMO_AS_OF})
    return {"project": project, "database": database}


def one_window_order_of_a_new_shopify_customer(database: Path, after: str) -> dict:
    """A Shopify window order (created after ``after``) that is the only one of an
    absent dtc_new customer with a storefront customer record."""
    con = duckdb.connect(str(database), read_only=True)
    try:
        row = con.execute("""
            select orders.order_id, customers.customer_key
            from marts.ecom_sage_customer_gap_orders as orders
            inner join marts.ecom_sage_customer_gap_customers as customers
                on orders.customer_key = customers.customer_key
                and orders.entity_id is not distinct from customers.entity_id
            inner join main.int_ecom_orders as stored
                on orders.storefront = stored.storefront and orders.order_id = stored.order_id
            where customers.cohort = 'dtc_new' and customers.orders_in_window = 1
                and orders.storefront = 'shopify' and stored.customer_record_id is not null
                and orders.created_at > cast(? as timestamp)
            order by orders.order_id
            limit 1
        """, [after.replace("T", " ").rstrip("Z")]).fetchone()
    finally:
        con.close()
    assert row, "the demo has no absent new Shopify customer with a record"
    return {"order_id": row[0], "customer_key": row[1]}


def mart_order_ids(database: Path) -> set[str]:
    con = duckdb.connect(str(database), read_only=True)
    try:
        return {row[0] for row in con.execute("select order_id from marts.ecom_sage_customer_gap_orders").fetchall()}
    finally:
        con.close()


def cohort_of(database: Path, customer_key: str) -> str | None:
    con = duckdb.connect(str(database), read_only=True)
    try:
        row = con.execute("select cohort from marts.ecom_sage_customer_gap_customers where customer_key = ?",
                          [customer_key]).fetchone()
    finally:
        con.close()
    return row[0] if row else None


def test_an_order_dated_2099_does_not_stop_later_runs_and_its_correction_is_read(demo_reference, tmp_path):
    later_as_of = "2026-04-15T09:00:00Z"
    picked = one_window_order_of_a_new_shopify_customer(demo_reference["database"], "2026-04-08T09:00:00Z")
    source = demo_copy(tmp_path / "source")
    orders_file = source / "shopify" / "order.csv"
    header, rows = read_table(orders_file)
    window_order = next(row for row in rows if row["id"] == picked["order_id"])
    # The same customer ordered in February; the order's date was keyed as 2099.
    february = {**window_order, "id": "5619999000001", "name": "#99001", "created_at": "2099-02-03T10:00:00Z"}
    write_table(orders_file, header, rows + [february])
    stored = new_database(tmp_path, "scheduled")
    build(demo_reference["project"], source, stored, vars={"gap_as_of": DEMO_AS_OF})
    assert cohort_of(stored, picked["customer_key"]) == "dtc_new"  # the 2099 order does not exist yet

    # New orders after the typo: three guest checkouts the next evening.
    template = rows[0]
    new_orders = [
        {**template, "id": f"561999900010{i}", "name": f"#9910{i}", "customer_id": "",
         "email": f"first.order{i}@example.org", "created_at": f"2026-04-14T2{i}:00:00Z",
         "cancelled_at": "", "test": "false", "_fivetran_deleted": "false"}
        for i in range(3)
    ]
    write_table(orders_file, header, rows + [february] + new_orders)
    differences = scheduled_equals_full(demo_reference["project"], source, stored, tmp_path, "new_orders",
                                        later_as_of)
    assert no_differences(differences), differences
    assert stored_orders_run_mode(stored) == "re-read"
    assert {order["id"] for order in new_orders} <= mart_order_ids(tmp_path / "new_orders_full" / DATABASE_NAME)

    # The typo is corrected at source: the order was placed in February, long before the
    # re-read period; the customer is a returning one from now on.
    february["created_at"] = "2026-02-03T10:00:00Z"
    write_table(orders_file, header, rows + [february] + new_orders)
    differences = scheduled_equals_full(demo_reference["project"], source, stored, tmp_path, "corrected",
                                        later_as_of)
    assert no_differences(differences), differences
    assert stored_orders_run_mode(stored) == "re-read"
    assert cohort_of(tmp_path / "corrected_full" / DATABASE_NAME, picked["customer_key"]) == "dtc_returning_unmatched"


def test_an_order_removed_from_the_export_inside_the_lookback_is_dropped(demo_reference, tmp_path):
    picked = one_window_order_of_a_new_shopify_customer(demo_reference["database"], "2026-04-07T09:00:00Z")
    source = demo_copy(tmp_path / "source")
    stored = new_database(tmp_path, "scheduled")
    build(demo_reference["project"], source, stored, vars={"gap_as_of": DEMO_AS_OF})

    orders_file = source / "shopify" / "order.csv"
    header, rows = read_table(orders_file)
    write_table(orders_file, header, [row for row in rows if row["id"] != picked["order_id"]])
    differences = scheduled_equals_full(demo_reference["project"], source, stored, tmp_path, "removed", DEMO_AS_OF)
    assert no_differences(differences), differences
    assert stored_orders_run_mode(stored) == "re-read"
    # The removed order took its only-order customer out of the marts.
    assert differences["ecom_sage_customer_gap_customers"][0] > 0
    assert picked["order_id"] not in mart_order_ids(tmp_path / "removed_full" / DATABASE_NAME)
    assert cohort_of(tmp_path / "removed_full" / DATABASE_NAME, picked["customer_key"]) is None


def test_a_run_on_other_data_into_the_same_database_rebuilds_the_stored_orders(demo_reference, tmp_path):
    # Other data: the demo as it would have been 140 days earlier, in another folder,
    # built into the database that holds the demo's orders.
    days = -140
    other = demo_copy(tmp_path / "other")
    shift_dates(other, days)
    stored = new_database(tmp_path, "scheduled", copy_of=demo_reference["database"])
    differences = scheduled_equals_full(demo_reference["project"], other, stored, tmp_path, "other",
                                        shifted(DEMO_AS_OF, days))
    assert no_differences(differences), differences
    assert stored_orders_run_mode(stored) == "rebuild"
    assert differences["ecom_sage_customer_gap_customers"][0] > 0
    assert differences["ecom_sage_customer_gap_orders"][0] > 0
