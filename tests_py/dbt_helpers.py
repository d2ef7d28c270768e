"""Run the real dbt project from pytest, in-process, with dbtRunner.

Every invocation points at this project (the folder above tests_py/) and at a DuckDB
file of the caller's choosing (env var ECOM_SAGE_GAP_DUCKDB_PATH), so tests never touch
the developer's database. dbt's target/ and logs/ go next to that DuckDB file, so tests
do not collide with other dbt runs in the project folder.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from dbt.cli.main import dbtRunner, dbtRunnerResult

PROJECT_DIR = Path(__file__).resolve().parent.parent
DUCKDB_PATH_ENV_VAR = "ECOM_SAGE_GAP_DUCKDB_PATH"
# The published tables live in their own schema; staging and intermediate in `main`.
MARTS_SCHEMA = "marts"


class DbtInvocationError(RuntimeError):
    """A dbt invocation failed; the message carries the command and dbt's output."""


@contextmanager
def _env_var(name: str, value: str) -> Iterator[None]:
    previous = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = previous


def _has_option(args: Sequence[str], option: str) -> bool:
    return any(arg == option or arg.startswith(option + "=") for arg in args)


def connect_read_only(path: str | os.PathLike[str]) -> "duckdb.DuckDBPyConnection":
    """Open a built database read-only; unqualified names find the marts, then `main`."""
    import duckdb

    connection = duckdb.connect(str(path), read_only=True)
    has_marts = connection.execute(
        "select count(*) from information_schema.schemata where schema_name = ?", [MARTS_SCHEMA]).fetchone()[0]
    if has_marts:  # a database before its first build has none
        connection.execute(f"set search_path = '{MARTS_SCHEMA},main'")
    return connection


def release_duckdb() -> None:
    """Close the DuckDB database dbt-duckdb keeps open in this process after a run.

    dbt-duckdb caches one database instance per process; until it is closed, a test
    cannot open the same file read-only (DuckDB refuses a second configuration) and a
    later run cannot point the adapter at another file cleanly.
    """
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    environment = DuckDBConnectionManager._ENV
    if environment is not None:
        environment.close()
    DuckDBConnectionManager.close_all_connections()


def run_dbt(
    args: Sequence[str],
    duckdb_path: str | os.PathLike[str],
    vars: dict[str, Any] | None = None,
    profiles_dir: str | os.PathLike[str] | None = None,
    check: bool = True,
) -> dbtRunnerResult:
    """Invoke dbt (e.g. ``["show", "--inline", sql]``) and return the dbtRunnerResult.

    Adds --project-dir (this project), --profiles-dir (this project unless
    ``profiles_dir`` is given), --target-path / --log-path (next to the DuckDB file) and
    --vars (``vars`` as JSON) unless ``args`` already has them. With ``check`` (the
    default) raises DbtInvocationError with dbt's output when the invocation does not
    succeed; without it the caller reads the result (``result.result.results``).
    """
    duckdb_path = Path(duckdb_path)
    work_dir = duckdb_path.parent
    full_args = [str(arg) for arg in args]
    defaults = {
        "--project-dir": PROJECT_DIR,
        "--profiles-dir": profiles_dir or PROJECT_DIR,
        "--target-path": work_dir / "dbt_target",
        "--log-path": work_dir / "dbt_logs",
    }
    for option, value in defaults.items():
        if not _has_option(full_args, option):
            full_args += [option, str(value)]
    if vars:
        full_args += ["--vars", json.dumps(vars)]

    messages: list[str] = []

    def collect(event: Any) -> None:
        message = getattr(getattr(event, "info", None), "msg", None)
        if message:
            messages.append(str(message))

    with _env_var(DUCKDB_PATH_ENV_VAR, str(duckdb_path)):
        try:
            result = dbtRunner(callbacks=[collect]).invoke(full_args)
        finally:
            release_duckdb()

    if check and not result.success:
        output = "\n".join(messages[-200:])
        raise DbtInvocationError(
            f"dbt {' '.join(full_args)} failed.\n"
            f"exception: {result.exception!r}\n"
            f"--- dbt output (last lines) ---\n{output}"
        )
    return result


def dbt_show_inline(
    sql: str,
    duckdb_path: str | os.PathLike[str],
    vars: dict[str, Any] | None = None,
    profiles_dir: str | os.PathLike[str] | None = None,
) -> list[dict[str, Any]]:
    """Run ``dbt show --inline sql`` (all rows) and return the rows as dicts.

    Text columns come back as str (dbt keeps them as text); other columns are Python
    values converted by agate (numbers as Decimal, booleans as bool, timestamps as
    datetime). Cast to varchar in the SQL when the exact text matters.
    """
    result = run_dbt(
        ["show", "--inline", sql, "--limit", "-1", "--output", "json"],
        duckdb_path,
        vars=vars,
        profiles_dir=profiles_dir,
    )
    node_results = [
        node_result
        for node_result in result.result.results
        if node_result.node.name == "inline_query"
    ]
    if len(node_results) != 1:
        raise DbtInvocationError(f"expected one inline_query result, got {len(node_results)}")
    table = node_results[0].agate_table
    return [dict(zip(table.column_names, row)) for row in table.rows]
