"""The demo built on Spark publishes the same five marts as the demo built on DuckDB.

Both builds are `dbt build --exclude tag:alert --resource-type seed --resource-type
model` of the bundled demo (file mode, data/demo) at the demo's gap_as_of, run as
subprocesses like a user's run: DuckDB into a database file of a temporary folder, Spark
(target `spark`, session mode) with that folder as its working directory, so its
metastore (metastore_db) and warehouse (spark-warehouse) stay there. The data tests are
left out: `make test` runs them on DuckDB, and on Spark they would more than double the
time (about 200 queries of a second each).

The marts are then read back (DuckDB from its file, Spark from the Parquet files of its
warehouse, with the session of conftest.py) and compared as multisets of rows over the
same columns: numbers by value (a decimal(18, 2) 12.50 equals 12.5), timestamps as UTC
wall-clock times, text exactly. Then the alert gate (`dbt test --select tag:alert`, the
scheduled run's last step) runs on both engines and must give the same statuses and
failing-row counts. The whole thing takes about six minutes on two cores.
"""

from __future__ import annotations

import collections
import datetime
import decimal
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from conftest import PARITY_RESULTS

PROJECT_DIR = Path(__file__).resolve().parent.parent
DBT = Path(sys.executable).parent / "dbt"
DEMO_AS_OF = "2026-04-14T09:00:00Z"
sys.path.insert(0, str(PROJECT_DIR / "scripts"))
from mart_snapshot import MARTS  # noqa: E402  (the five marts, one list for every comparison)


def run_dbt(target: str, workdir: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    vars_text = '{gap_as_of: "%s", raw_data_path: "%s"}' % (DEMO_AS_OF, PROJECT_DIR / "data" / "demo")
    command = [
        str(DBT), *args, "--target", target,
        "--vars", vars_text,
        "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(workdir / "profiles"),
        "--target-path", str(workdir / f"target-{target}"), "--log-path", str(workdir / f"logs-{target}"),
    ]
    return subprocess.run(command, cwd=workdir, env=env, capture_output=True, text=True, check=False)


def run_build(target: str, workdir: Path, env: dict[str, str]) -> None:
    result = run_dbt(target, workdir, env, "build", "--exclude", "tag:alert",
                     "--resource-type", "seed", "--resource-type", "model")
    if result.returncode != 0:
        summary = [line for line in result.stdout.splitlines() if not line.startswith('{"ts"')]
        pytest.fail(f"dbt build --target {target} failed:\n" + "\n".join(summary[-40:]))


def comparable(value):
    """A value as both engines should agree on it."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, decimal.Decimal)):
        return decimal.Decimal(value).normalize()
    if isinstance(value, float):
        return round(value, 9)
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def rows_of(columns: list[str], rows, wanted: list[str]) -> collections.Counter:
    positions = [columns.index(name) for name in wanted]
    return collections.Counter(tuple(comparable(row[i]) for i in positions) for row in rows)


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("demo-parity")
    env = dict(os.environ)
    env["ECOM_SAGE_GAP_DUCKDB_PATH"] = str(workdir / "demo.duckdb")
    # The shipped profiles (profiles.yml.example): a local profiles.yml made before the
    # `spark` output existed has none, and make copies the example only when it is missing.
    (workdir / "profiles").mkdir()
    shutil.copy2(PROJECT_DIR / "profiles.yml.example", workdir / "profiles" / "profiles.yml")
    env["DBT_PROFILES_DIR"] = str(workdir / "profiles")
    run_build("duckdb", workdir, env)
    run_build("spark", workdir, env)
    return workdir, env


@pytest.mark.parametrize("mart", MARTS)
def test_mart_is_the_same_on_spark(builds, spark, mart):
    builds, _ = builds
    connection = duckdb.connect(str(builds / "demo.duckdb"), read_only=True)
    try:
        cursor = connection.execute(f"select * from marts.{mart}")
        duckdb_columns = [column[0].lower() for column in cursor.description]
        duckdb_rows = cursor.fetchall()
    finally:
        connection.close()
    frame = spark.read.parquet(str(builds / "spark-warehouse" / "marts.db" / mart))
    spark_columns = [name.lower() for name in frame.columns]
    spark_rows = [tuple(row) for row in frame.collect()]

    assert sorted(spark_columns) == sorted(duckdb_columns), f"{mart}: the columns differ"
    duckdb_set = rows_of(duckdb_columns, duckdb_rows, duckdb_columns)
    spark_set = rows_of(spark_columns, spark_rows, duckdb_columns)
    only_duckdb = list((duckdb_set - spark_set).elements())
    only_spark = list((spark_set - duckdb_set).elements())
    PARITY_RESULTS.append(
        f"{mart}: DuckDB {len(duckdb_rows)} rows, Spark {len(spark_rows)} rows, "
        + ("identical" if not only_duckdb and not only_spark else f"{len(only_duckdb)} / {len(only_spark)} rows differ")
    )
    assert not only_duckdb and not only_spark, (
        f"{mart}: rows only DuckDB has: {only_duckdb[:5]}; rows only Spark has: {only_spark[:5]}"
    )


def alert_gate(target: str, workdir: Path, env: dict[str, str]) -> dict[str, tuple[str, int]]:
    """`dbt test --select tag:alert` (the scheduled run's final gate): each alert's status
    and number of failing rows, from run_results.json."""
    run_dbt(target, workdir, env, "test", "--select", "tag:alert")
    results = json.loads((workdir / f"target-{target}" / "run_results.json").read_text(encoding="utf-8"))
    return {
        result["unique_id"].split(".")[2]: (result["status"], result.get("failures"))
        for result in results["results"]
    }


def test_alert_gate_is_the_same_on_spark(builds):
    workdir, env = builds
    on_duckdb = alert_gate("duckdb", workdir, env)
    on_spark = alert_gate("spark", workdir, env)
    # The demo's gate: the B2B alert fails (7 > 0) and the overall one warns (34 > 10).
    assert on_duckdb == {
        "alert_b2b_customer_master_gap": ("fail", 1),
        "alert_customer_master_gap": ("warn", 1),
    }, on_duckdb
    PARITY_RESULTS.append(f"alert gate: DuckDB {on_duckdb}, Spark {on_spark}")
    assert on_spark == on_duckdb
