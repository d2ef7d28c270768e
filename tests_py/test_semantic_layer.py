"""The semantic layer: `mf query` (MetricFlow's CLI, a child process) on a demo database
of this test's own reproduces the worked example: 34 absent, 7 B2B, 51 orders.

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


@pytest.fixture(scope="module")
def semantic_project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("semantic")
    project = project_copy(root)
    database = root / "semantic.duckdb"
    run_dbt(["build", "--resource-type", "model", "--resource-type", "seed",
             "--project-dir", str(project), "--target-path", str(project / "target")],
            database, vars=DEMO_VARS, profiles_dir=project)
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
