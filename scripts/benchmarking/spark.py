"""--target spark: the build on Spark local[2], its marts read from the warehouse's Parquet
files by DuckDB, and compared with DuckDB's build of the same data."""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
from pathlib import Path

import duckdb
import yaml
from mart_snapshot import MARTS, row_multiset

from .dbt_runs import (
    headline_of, incremental_models, load_manifest, relations_by_name, remove_database,
    require_ok, run_dbt_build,
)
from .results import BenchmarkResult, Dataset, Headline, RelationCheck
from .settings import (
    DB_FILE_NAME, PROFILE_TEMPLATE, REPO_ROOT, SPARK_PACKAGES, SPARK_WAREHOUSE, VENV_BIN,
    StepFailed, package_version, quote,
)


def spark_table_dir(project: Path, relation: tuple[str, str]) -> Path:
    """Where Spark (session mode, run in the project copy) keeps a table's Parquet files:
    spark-warehouse/<schema>.db/<table>/ (Spark lower-cases both names)."""
    schema, alias = relation
    return project / SPARK_WAREHOUSE / f"{schema.lower()}.db" / alias.lower()


def spark_table_sql(project: Path, relation: tuple[str, str]) -> str:
    """A DuckDB table expression reading one table of the Spark warehouse (no Spark session
    needed): every Parquet file under its folder, partition folders (col=value) as columns."""
    folder = spark_table_dir(project, relation)
    if not folder.is_dir():
        raise StepFailed(f"{folder} does not exist: the Spark build wrote no table there")
    if not any(folder.rglob("*.parquet")):
        raise StepFailed(f"{folder} holds no Parquet file (another file_format?)")
    pattern = str(folder / "**" / "*.parquet").replace("'", "''")
    return f"read_parquet('{pattern}', hive_partitioning = true)"


def read_spark_headline(project: Path, relation: tuple[str, str]) -> Headline:
    """The card's mart, read from the Parquet files of Spark's warehouse by DuckDB."""
    con = duckdb.connect(":memory:")
    try:
        con.execute("set TimeZone = 'UTC'")
        return headline_of(con, spark_table_sql(project, relation))
    finally:
        con.close()


def spark_output() -> dict:
    """The `spark` output of profiles.yml.example ({} when there is none)."""
    profile = yaml.safe_load(PROFILE_TEMPLATE.read_text(encoding="utf-8"))
    for target in profile.values():
        output = (target.get("outputs") or {}).get("spark")
        if output:
            return output
    return {}


def fetch_rows(con: duckdb.DuckDBPyConnection, table: str) -> tuple[list[str], list[tuple]]:
    """(lower-cased column names, rows) of a table expression."""
    cursor = con.execute(f"select * from {table}")
    return [column[0].lower() for column in cursor.description], cursor.fetchall()


def compare_engine_mart(con: duckdb.DuckDBPyConnection, name: str, spark_table: str,
                        duckdb_table: str) -> RelationCheck:
    """One mart of Spark's warehouse against DuckDB's, as multisets of rows over the same
    columns (matched by name)."""
    labels = {"left_label": "Spark", "right_label": "DuckDB"}
    try:
        spark_columns, spark_rows = fetch_rows(con, spark_table)
        duckdb_columns, duckdb_rows = fetch_rows(con, duckdb_table)
    except duckdb.Error as error:
        return RelationCheck(name=name, rows_left=None, rows_right=None,
                             note=f"cannot read: {error}", **labels)
    if sorted(spark_columns) != sorted(duckdb_columns):
        only_spark = sorted(set(spark_columns) - set(duckdb_columns))
        only_duckdb = sorted(set(duckdb_columns) - set(spark_columns))
        return RelationCheck(name=name, rows_left=len(spark_rows), rows_right=len(duckdb_rows),
                             note=f"columns differ: only Spark {only_spark}, only DuckDB {only_duckdb}",
                             **labels)

    spark_set = row_multiset(spark_columns, spark_rows, duckdb_columns)
    duckdb_set = row_multiset(duckdb_columns, duckdb_rows, duckdb_columns)
    only_spark, only_duckdb = spark_set - duckdb_set, duckdb_set - spark_set
    for side, extra in (("Spark", only_spark), ("DuckDB", only_duckdb)):
        for row in list(extra.elements())[:3]:
            print(f"    {name}: a row only {side} has: {dict(zip(duckdb_columns, row))}")
    return RelationCheck(name=name, rows_left=len(spark_rows), rows_right=len(duckdb_rows),
                         only_left=sum(only_spark.values()), only_right=sum(only_duckdb.values()),
                         order_differs=spark_columns != duckdb_columns, **labels)


def compare_engines(project: Path, spark_relations: dict[str, tuple[str, str]], duckdb_database: Path,
                    duckdb_relations: dict[str, tuple[str, str]]) -> list[RelationCheck]:
    """The eight marts (MARTS) of Spark's warehouse, read from its Parquet files, against
    those of the DuckDB database."""
    con = duckdb.connect(":memory:")
    checks = []
    try:
        con.execute("set TimeZone = 'UTC'")
        con.execute(f"attach '{str(duckdb_database).replace(chr(39), chr(39) * 2)}' as duckdb_built (read_only)")
        for mart in MARTS:
            if mart not in spark_relations or mart not in duckdb_relations:
                checks.append(RelationCheck(name=mart, rows_left=None, rows_right=None,
                                            note="not in the manifest"))
                continue
            try:
                spark_table = spark_table_sql(project, spark_relations[mart])
            except StepFailed as error:
                checks.append(RelationCheck(name=mart, rows_left=None, rows_right=None, note=str(error)))
                continue
            schema, alias = duckdb_relations[mart]
            checks.append(compare_engine_mart(con, mart, spark_table,
                                              f"duckdb_built.{quote(schema)}.{quote(alias)}"))
    finally:
        con.close()
    return checks


def run_engine_parity_step(project: Path, work_dir: Path, dataset: Dataset, args: argparse.Namespace,
                           result: BenchmarkResult, spark_relations: dict[str, tuple[str, str]]) -> None:
    """--target spark: the DuckDB full build of the same dataset in the same project copy
    (its own database file in the work dir), measured like the Spark build, then the five
    marts of the two engines compared."""
    database = work_dir / DB_FILE_NAME
    remove_database(database)
    result.duckdb_build = run_dbt_build("DuckDB full build", project, work_dir, dataset, database,
                                        args, "dbt_build_duckdb.log", target="duckdb")
    require_ok(result.duckdb_build)
    manifest = load_manifest(project)
    duckdb_relations = relations_by_name(manifest)
    result.incremental_models = incremental_models(manifest)
    result.engine_checks = compare_engines(project, spark_relations, database, duckdb_relations)
    for check in result.engine_checks:
        print(f"  {check.name}: {check.describe()}")
    if not all(check.identical for check in result.engine_checks):
        raise StepFailed("the Spark marts differ from DuckDB's")


# --------------------------------------------------------------------------------------
# Step 6: report


def java_version() -> str:
    """The version of the Java pyspark starts (JAVA_HOME's, else the PATH's)."""
    java_home = os.environ.get("JAVA_HOME")
    java = str(Path(java_home) / "bin" / "java") if java_home else (shutil.which("java") or "java")
    try:
        output = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=30).stderr
    except (OSError, subprocess.SubprocessError):
        return "not found"
    found = re.search(r'version "([^"]+)"', output)
    return found[1] if found else "unknown"


def spark_setup_problem() -> str | None:
    """Why --target spark cannot run here (None: it can): pyspark and dbt-spark must be in
    the virtual environment, Java on the PATH (or JAVA_HOME), and the profile template
    must have a `spark` output."""
    missing = [name for name in SPARK_PACKAGES if package_version(name) == "not installed"]
    if missing:
        return (f"--target spark needs {' and '.join(missing)} in {VENV_BIN.parent}: "
                f"run `make setup-spark` in {REPO_ROOT}")
    java_home = os.environ.get("JAVA_HOME")
    if not shutil.which("java") and not (java_home and (Path(java_home) / "bin" / "java").exists()):
        return "--target spark needs Java 17 or newer (java on the PATH or JAVA_HOME); none found"
    if not PROFILE_TEMPLATE.exists() or not spark_output():
        return f"--target spark needs a `spark` output in {PROFILE_TEMPLATE.name}; none found"
    return None
