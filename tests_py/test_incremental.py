"""Incremental refresh: a scheduled run on new data gives the marts a full rebuild gives.

A small scale dataset (scripts/scale_data.py, R0.005: 5,000 storefront customers and
50,000 orders over two years, two Sage entities) is built once. The same dataset one
week later, with 1 % new customers and orders (``--increment 0.01``), is then built
two ways: incrementally on top of the first build (what a scheduled run does: only the
orders of the lookback period are re-read) and from scratch into a new database. The
five marts must be identical, row for row.

A negative control shows the comparison can fail: with a lookback of 0 days the
incremental run misses the new orders created before the previous run's latest order,
and the marts differ.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from e2e_support import PROJECT_DIR, build, project_copy  # noqa: E402

SCALE = 0.005
INCREMENT = 0.01
MARTS = (
    "ecom_sage_customer_gap",
    "ecom_sage_customer_gap_cohorts",
    "ecom_sage_customer_gap_customers",
    "ecom_sage_customer_gap_orders",
    "ecom_sage_customer_gap_reconciliation",
)


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
    """Base dataset built once; the increment dataset; the project with its field map."""
    root = tmp_path_factory.mktemp("incremental")
    base_dir, increment_dir = root / "base", root / "increment"
    base = generate(base_dir)
    later = generate(increment_dir, INCREMENT)
    project = project_copy(
        root, seeds={"storefronts": (base_dir / "seeds" / "storefronts.csv").read_text()})
    base_db = root / "base" / "ecom_sage_gap.duckdb"
    base_db.parent.mkdir(exist_ok=True)
    build(project, base_dir, base_db, vars={"gap_as_of": base["gap_as_of"]})
    return {
        "root": root, "project": project, "base_db": base_db,
        "increment_dir": increment_dir, "increment_as_of": later["gap_as_of"],
        "base_as_of": base["gap_as_of"],
    }


def incremental_run(setup, name: str, extra_vars: dict | None = None) -> Path:
    """Copy the base database and run the scheduled build on the increment."""
    database = setup["root"] / name / "ecom_sage_gap.duckdb"
    database.parent.mkdir()
    shutil.copy2(setup["base_db"], database)
    run = build(setup["project"], setup["increment_dir"], database,
                vars={"gap_as_of": setup["increment_as_of"], **(extra_vars or {})})
    assert run.statuses["int_ecom_orders"] == "success"
    return database


@pytest.fixture(scope="module")
def full_rebuild(incremental_setup):
    database = incremental_setup["root"] / "full" / "ecom_sage_gap.duckdb"
    database.parent.mkdir()
    build(incremental_setup["project"], incremental_setup["increment_dir"], database,
          vars={"gap_as_of": incremental_setup["increment_as_of"]})
    return database


def mart_differences(left: Path, right: Path) -> dict[str, tuple[int, int, int]]:
    """Per mart: (rows in left, rows only in left, rows only in right)."""
    con = duckdb.connect()
    try:
        con.execute(f"attach '{left}' as l (read_only)")
        con.execute(f"attach '{right}' as r (read_only)")
        result = {}
        for mart in MARTS:
            rows = con.execute(f"select count(*) from l.marts.{mart}").fetchone()[0]
            only_left = con.execute(
                f"select count(*) from (select * from l.marts.{mart} except all "
                f"select * from r.marts.{mart})").fetchone()[0]
            only_right = con.execute(
                f"select count(*) from (select * from r.marts.{mart} except all "
                f"select * from l.marts.{mart})").fetchone()[0]
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
