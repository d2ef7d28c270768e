"""The semantic layer: `mf query` (MetricFlow's CLI, a child process) on a demo database
of this test's own reproduces the worked example: 34 absent, 7 B2B, 51 orders; its saved
queries equal the printed card; and after three runs the gap history gives one row per
as_of, equal to the history mart (a snapshot: each period reads its latest run).

MetricFlow reads `<project>/target/semantic_manifest.json` and the project's profile, so
the test builds a copy of the project (its own target/) into its own DuckDB file.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from dbt_helpers import PROJECT_DIR, run_dbt
from e2e_support import project_copy

DEMO_VARS = {"gap_as_of": "2026-04-14T09:00:00Z", "raw_data_path": str(PROJECT_DIR / "data" / "demo")}
MF = Path(sys.executable).parent / "mf"


# Three runs: two earlier instants, then the worked example last (the marts hold its run).
RUNS = ("2026-03-31T09:00:00Z", "2026-04-07T09:00:00Z", "2026-04-14T09:00:00Z")


@pytest.fixture(scope="module")
def semantic_project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("semantic")
    project = project_copy(root)
    database = root / "semantic.duckdb"
    for as_of in RUNS:
        run_dbt(["build", "--resource-type", "model", "--resource-type", "seed",
                 "--project-dir", str(project), "--target-path", str(project / "target")],
                database, vars={**DEMO_VARS, "gap_as_of": as_of}, profiles_dir=project)
    return project, database


def mf_query(project: Path, database: Path, out: Path, *args: str) -> list[dict[str, str]]:
    env = {**os.environ, "DBT_PROFILES_DIR": str(project), "ECOM_SAGE_GAP_DUCKDB_PATH": str(database)}
    env.pop("DBT_PROJECT_DIR", None)
    result = subprocess.run([str(MF), "query", *args, "--csv", str(out)], cwd=project, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    with open(out, newline="") as handle:
        return list(csv.DictReader(handle))


def test_mf_query_reproduces_the_headline(semantic_project: tuple[Path, Path], tmp_path: Path) -> None:
    rows = mf_query(*semantic_project, tmp_path / "headline.csv",
                    "--metrics", "absent_customers,absent_b2b_customers,orders_attached,value_attached",
                    "--group-by", "metric_time__day")
    assert len(rows) == 1, rows
    (row,) = rows
    assert row["metric_time__day"].startswith("2026-04-14")
    assert (int(row["absent_customers"]), int(row["absent_b2b_customers"]), int(row["orders_attached"])) == (34, 7, 51)
    assert Decimal(row["value_attached"]) == Decimal("50408.20")


def test_mf_query_splits_by_cohort_and_entity(semantic_project: tuple[Path, Path], tmp_path: Path) -> None:
    rows = mf_query(*semantic_project, tmp_path / "cohorts.csv",
                    "--metrics", "absent_customers,orders_attached",
                    "--group-by", "absent_customer__cohort,absent_customer__entity")
    assert {row["absent_customer__entity"] for row in rows} == {"single entity"}
    assert {row["absent_customer__cohort"]: (int(row["absent_customers"]), int(row["orders_attached"]))
            for row in rows} == {
        "dtc_new": (21, 21),
        "dtc_returning_email_changed": (6, 9),
        "b2b_new_account": (5, 14),
        "b2b_vat_not_keyed": (2, 7),
    }


def mart_rows(database: Path, sql: str) -> list[tuple]:
    import duckdb

    con = duckdb.connect(str(database), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_the_trend_has_one_row_per_run_equal_to_the_history(semantic_project, tmp_path: Path) -> None:
    project, database = semantic_project
    rows = mf_query(project, database, tmp_path / "trend.csv",
                    "--metrics", "recorded_absent_customers,recorded_absent_b2b_customers",
                    "--group-by", "metric_time__day", "--order", "metric_time__day")
    history = mart_rows(database, """select as_of, sum(absent_customers), sum(absent_b2b_customers)
                                     from marts.ecom_sage_customer_gap_history group by 1 order by 1""")
    assert len(history) == len(RUNS) == len(rows)
    assert [(row["metric_time__day"][:10], int(row["recorded_absent_customers"]),
             int(row["recorded_absent_b2b_customers"])) for row in rows] == [
        (as_of.strftime("%Y-%m-%d"), absent, b2b) for as_of, absent, b2b in history]


def test_a_week_reads_its_latest_run_not_a_sum(semantic_project, tmp_path: Path) -> None:
    # 7 and 14 April fall in different ISO weeks, 31 March in the first: the snapshot is
    # not summed over the runs of a week.
    project, database = semantic_project
    rows = mf_query(project, database, tmp_path / "weekly.csv",
                    "--metrics", "recorded_absent_customers", "--group-by", "metric_time__week",
                    "--order", "metric_time__week")
    history = dict(mart_rows(database, "select as_of, absent_customers from marts.ecom_sage_customer_gap_history"))
    by_week: dict[str, int] = {}
    for as_of in sorted(history):
        by_week[(as_of - __import__("datetime").timedelta(days=as_of.weekday())).strftime("%Y-%m-%d")] = history[as_of]
    assert {row["metric_time__week"][:10]: int(row["recorded_absent_customers"]) for row in rows} == by_week


def saved_query(project: Path, database: Path, out: Path, name: str) -> list[dict[str, str]]:
    return mf_query(project, database, out, "--saved-query", name)


def test_saved_queries_equal_the_printed_card(semantic_project, tmp_path: Path) -> None:
    project, database = semantic_project
    card = subprocess.run([sys.executable, str(PROJECT_DIR / "scripts" / "print_card.py"), "--database",
                           str(database)], capture_output=True, text=True, check=True).stdout
    (headline,) = saved_query(project, database, tmp_path / "h.csv", "card_headline")
    assert (f"ABSENT CUSTOMERS  {int(headline['absent_customers'])}   "
            f"(B2B {int(headline['absent_b2b_customers'])}, DTC 27)   orders attached "
            f"{int(headline['orders_attached'])}   value GBP {Decimal(headline['value_attached']):,.2f}") in card
    cohorts = saved_query(project, database, tmp_path / "c.csv", "card_cohorts")
    labels = dict(mart_rows(database, "select cohort, cohort_label from marts.ecom_sage_customer_gap_cohorts"))
    for row in cohorts:
        line = next(line for line in card.splitlines() if line.startswith(labels[row["absent_customer__cohort"]]))
        assert line.split()[-4:-2] == [str(int(row["absent_customers"])), str(int(row["orders_attached"]))], line
    b2b = saved_query(project, database, tmp_path / "b.csv", "card_b2b_list")
    assert len(b2b) == 7
    for row in b2b:
        name, value = row["absent_customer__customer_name"], Decimal(row["value_attached"])
        line = next(line for line in card.splitlines() if line.startswith(name + " "))
        assert f"GBP {value:,.2f}" in line and str(int(row["orders_attached"])) in line.split()
