"""What the Spark parity checks share: a dbt command run as a user runs it, on either
engine, and a mart compared row for row between the DuckDB file and Spark's warehouse.

Both engines build in one working folder: DuckDB into its database file
(ECOM_SAGE_GAP_DUCKDB_PATH), Spark (target `spark`, session mode) with the folder as its
working directory, so its metastore (metastore_db) and warehouse (spark-warehouse) stay
there. Both read the shipped profiles.yml.example: the check is of the configuration the
repository ships, and a local profiles.yml made before the `spark` output existed has
none (make copies the example only when profiles.yml is missing).

Marts are compared as multisets of rows over the same columns (mart_snapshot.row_multiset):
numbers by value (a decimal(18, 2) 12.50 equals 12.5), timestamps as UTC wall-clock
times, text exactly.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from conftest import PARITY_RESULTS

PROJECT_DIR = Path(__file__).resolve().parent.parent
DBT = Path(sys.executable).parent / "dbt"
sys.path.insert(0, str(PROJECT_DIR / "scripts"))
from mart_snapshot import MARTS, row_multiset  # noqa: E402  (the marts, and when two rows are the same)

DUCKDB_FILE = "build.duckdb"


class Builds:
    """One working folder where a project is built on both engines with the same vars."""

    def __init__(self, workdir: Path, project_dir: Path, dbt_vars: dict) -> None:
        self.workdir = workdir
        self.project_dir = project_dir
        self.dbt_vars = dbt_vars
        profiles_dir = workdir / "profiles"
        profiles_dir.mkdir()
        shutil.copy2(PROJECT_DIR / "profiles.yml.example", profiles_dir / "profiles.yml")
        self.env = dict(os.environ)
        self.env["ECOM_SAGE_GAP_DUCKDB_PATH"] = str(workdir / DUCKDB_FILE)
        self.env["DBT_PROFILES_DIR"] = str(profiles_dir)

    def run(self, target: str, *args: str) -> subprocess.CompletedProcess:
        command = [
            str(DBT), *args, "--target", target, "--vars", json.dumps(self.dbt_vars),
            "--project-dir", str(self.project_dir), "--profiles-dir", self.env["DBT_PROFILES_DIR"],
            "--target-path", str(self.workdir / f"target-{target}"),
            "--log-path", str(self.workdir / f"logs-{target}"),
        ]
        return subprocess.run(command, cwd=self.workdir, env=self.env, capture_output=True, text=True, check=False)

    def build(self, target: str, *args: str) -> float:
        """`dbt build` of seeds and models (`args` narrow it); fails the test on an error,
        returns the seconds it took."""
        started = time.monotonic()
        result = self.run(target, "build", "--resource-type", "seed", "--resource-type", "model", *args)
        if result.returncode != 0:
            summary = [line for line in result.stdout.splitlines() if not line.startswith('{"ts"')]
            pytest.fail(f"{self.workdir.name}: dbt build --target {target} failed:\n" + "\n".join(summary[-40:]))
        return time.monotonic() - started

    def assert_same_mart(self, spark, mart: str, label: str) -> None:
        """The mart read from the DuckDB file and from Spark's warehouse: same columns, same rows."""
        connection = duckdb.connect(str(self.workdir / DUCKDB_FILE), read_only=True)
        try:
            cursor = connection.execute(f"select * from marts.{mart}")
            duckdb_columns = [column[0].lower() for column in cursor.description]
            duckdb_rows = cursor.fetchall()
        finally:
            connection.close()
        frame = spark.read.parquet(str(self.workdir / "spark-warehouse" / "marts.db" / mart))
        spark_columns = [column.lower() for column in frame.columns]
        spark_rows = [tuple(row) for row in frame.collect()]

        assert sorted(spark_columns) == sorted(duckdb_columns), f"{label}: the columns differ"
        duckdb_set = row_multiset(duckdb_columns, duckdb_rows, duckdb_columns)
        spark_set = row_multiset(spark_columns, spark_rows, duckdb_columns)
        only_duckdb = list((duckdb_set - spark_set).elements())
        only_spark = list((spark_set - duckdb_set).elements())
        same = not only_duckdb and not only_spark
        PARITY_RESULTS.append(
            f"{label}: DuckDB {len(duckdb_rows)} rows, Spark {len(spark_rows)} rows, "
            + ("identical" if same else f"{len(only_duckdb)} / {len(only_spark)} rows differ")
        )
        assert same, (
            f"{label} (columns {duckdb_columns}):\n"
            "rows only DuckDB has:\n" + "\n".join(f"  {row}" for row in only_duckdb[:20])
            + "\nrows only Spark has:\n" + "\n".join(f"  {row}" for row in only_spark[:20])
        )
