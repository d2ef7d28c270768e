"""Fixture builder and dbt runner for the end-to-end tests (test_e2e_*.py).

A test describes its raw data with :class:`RawData` (only the columns it cares about;
every other column is written empty), writes it as the 18 file-mode CSV tables, builds
a private copy of the project against it with :func:`build`, runs the alert gate with
:func:`alert_gate`, and reads the marts with :func:`query`.

Every build gets its own project copy (so a fixture can replace the field-map seeds
without touching the repository), its own DuckDB file and its own target/log folders.
dbt runs in-process through dbt_helpers.run_dbt; the raw table layout comes from
scripts/raw_tables.py.
"""

from __future__ import annotations

import csv
import os
import shutil
import sys
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

PROJECT_DIR = Path(__file__).resolve().parent.parent
if str(PROJECT_DIR / "scripts") not in sys.path:
    sys.path.insert(0, str(PROJECT_DIR / "scripts"))
from raw_tables import OPTIONAL_COLUMNS, RAW_TABLES, SHAPE_COLUMNS, landed_columns  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dbt_helpers import connect_read_only, run_dbt  # noqa: E402


# The evaluation instant every fixture uses unless it says otherwise.
AS_OF = "2026-04-14T09:00:00Z"
DEFAULT_VARS: dict[str, Any] = {"gap_as_of": AS_OF}

# The raw input tables (docs/definition/raw-inputs.md), columns in their documented order:
# source -> table -> columns, read from the dbt sources YAML by scripts/raw_tables.py.
TABLES: dict[str, dict[str, list[str]]] = RAW_TABLES

# The repository's field-map seeds, so a fixture can start from them.
DEFAULT_SEEDS: dict[str, str] = {
    "storefronts": "storefront,store_key,entity_id,default_customer_type\n"
    "shopify,*,,dtc\nbigcommerce,*,,b2b\nadobe_commerce,*,,dtc\n",
    "match_key_precedence": "customer_type,match_key,priority\n"
    "b2b,vat_number,1\nb2b,account_ref,2\nb2b,email,3\ndtc,email,1\n",
    "holding_customers": "sage_customer_id,entity_id,description\nWEBSALES,,Generic web-sales customer\n",
}

# What a project copy needs (everything dbt reads; no demo data, no target/).
_PROJECT_ITEMS = (
    "dbt_project.yml", "profiles.yml", "packages.yml", "dependencies.yml", "selectors.yml",
    "models", "macros", "seeds", "tests", "analyses", "snapshots", "dbt_packages", "python",
)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class RawData:
    """The raw tables of one fixture, built row by row.

    ``data.add('shopify', 'customer', id=1, email='a@x.com')`` adds a row with those
    columns set and every other column empty. Column names are checked against the
    contract (a GraphQL-era Shopify column such as ``total_price_set_shop_amount`` is
    accepted too). ``None`` writes an empty cell; booleans write ``true`` / ``false``.
    """

    def __init__(self) -> None:
        self._rows: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)

    def add(self, source: str, table: str, **values: Any) -> dict[str, str]:
        try:
            columns = TABLES[source][table]
        except KeyError:
            raise KeyError(f"unknown raw table {source}.{table}") from None
        shape_columns = [
            column
            for shapes in SHAPE_COLUMNS.get(source, {}).values()
            for column in shapes.get(table, {})
        ]
        unknown = sorted(set(values) - set(columns) - set(shape_columns))
        if unknown:
            raise KeyError(f"{source}.{table} has no column(s) {unknown}; columns: {columns + shape_columns}")
        row = {column: _cell(values.get(column)) for column in columns}
        row.update({column: _cell(values[column]) for column in shape_columns if column in values})
        self._rows[(source, table)].append(row)
        return row

    def add_many(self, source: str, table: str, rows: Iterable[Mapping[str, Any]]) -> None:
        for row in rows:
            self.add(source, table, **row)

    def rows(self, source: str, table: str) -> list[dict[str, str]]:
        return list(self._rows.get((source, table), []))

    def write(
        self,
        directory: str | os.PathLike[str],
        shopify_api: str = "rest",
        drop_columns: Mapping[tuple[str, str], Iterable[str]] | None = None,
    ) -> Path:
        """Write all 18 tables as DIR/<source>/<table>.csv (header row always).

        ``shopify_api='graphql'`` writes the Shopify tables as Fivetran's GraphQL-era
        connector lands them (scripts/raw_tables.landed_columns): a GraphQL column takes
        its own value, else the value of the column it is read as (``currency`` ->
        ``currency_code``, ``total_price`` -> ``total_price_set_shop_amount``).
        ``drop_columns`` leaves optional columns out of a table's header. A value that
        the written header cannot carry (set, and not the meaning of a missing column)
        raises instead of being lost.
        """
        directory = Path(directory).resolve()
        dropped = {key: set(columns) for key, columns in (drop_columns or {}).items()}
        for source, tables in TABLES.items():
            (directory / source).mkdir(parents=True, exist_ok=True)
            for table in tables:
                header = [
                    column for column in landed_columns(source, table, shopify_api if source == "shopify" else "rest")
                    if column not in dropped.get((source, table), set())
                ]
                read_as = SHAPE_COLUMNS.get(source, {}).get(shopify_api, {}).get(table, {})
                optional = OPTIONAL_COLUMNS.get(source, {}).get(table, {})
                written = []
                for row in self._rows.get((source, table), []):
                    # A base column's value goes to the shape's columns read as it that have none.
                    carried = {base for own, base in read_as.items() if own in header and not row.get(own)}
                    for column, value in row.items():
                        if column in header or column in carried or value == "":
                            continue
                        if column in optional and value == _cell(optional[column]):
                            continue
                        raise ValueError(
                            f"{source}.{table}: a {shopify_api} header {header} cannot carry {column}={value!r}")
                    written.append({
                        column: row.get(column) or row.get(read_as.get(column, ""), "") for column in header
                    })
                with open(directory / source / f"{table}.csv", "w", newline="", encoding="utf-8") as handle:
                    writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
                    writer.writeheader()
                    writer.writerows(written)
        return directory


def _seed_text(content: str | Sequence[Sequence[Any]]) -> str:
    if isinstance(content, str):
        return content if content.endswith("\n") else content + "\n"
    lines = []
    for row in content:
        lines.append(",".join(_csv_field(_cell(value)) for value in row))
    return "\n".join(lines) + "\n"


def _csv_field(text: str) -> str:
    if any(char in text for char in ',"\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def project_copy(
    tmp_path: str | os.PathLike[str],
    seeds: Mapping[str, str | Sequence[Sequence[Any]]] | None = None,
) -> Path:
    """Copy the project into ``tmp_path/project`` and replace seed CSV contents.

    ``seeds`` maps a seed name (``storefronts``, ``match_key_precedence``,
    ``holding_customers``, ``reconciliation_reasons``) to the whole CSV text, header
    included, or to a list of rows (first row = header).
    """
    target = Path(tmp_path).resolve() / "project"
    target.mkdir(parents=True, exist_ok=False)
    for item in _PROJECT_ITEMS:
        source = PROJECT_DIR / item
        if source.is_dir():
            shutil.copytree(source, target / item)
        elif source.is_file():
            shutil.copy2(source, target / item)
    if not (target / "profiles.yml").exists() and (PROJECT_DIR / "profiles.yml.example").exists():
        shutil.copy2(PROJECT_DIR / "profiles.yml.example", target / "profiles.yml")
    for name, content in (seeds or {}).items():
        seed_file = target / "seeds" / f"{name}.csv"
        if not seed_file.exists():
            raise FileNotFoundError(f"the project has no seed {name!r}")
        seed_file.write_text(_seed_text(content), encoding="utf-8")
    return target


class DbtRunError(RuntimeError):
    """A dbt invocation failed for a reason other than a failing alert test."""


@dataclass
class DbtRun:
    args: list[str]
    success: bool
    statuses: dict[str, str] = field(default_factory=dict)  # node name -> status
    messages: dict[str, str] = field(default_factory=dict)  # node name -> message
    returncode: int = 0
    log: list[str] = field(default_factory=list)

    def describe_failures(self) -> str:
        lines = [
            f"  {name}: {status}: {self.messages.get(name) or ''}"
            for name, status in sorted(self.statuses.items())
            if status not in ("success", "pass", "skipped", "warn")
        ]
        if not lines or not self.statuses:
            lines = ["  (no failing node reported; last log lines follow)"] + [
                "  " + line for line in self.log[-60:]
            ]
        return f"dbt {' '.join(self.args)} (exit {self.returncode})\n" + "\n".join(lines)


def _invoke(
    command: Sequence[str],
    project_dir: str | os.PathLike[str],
    raw_dir: str | os.PathLike[str],
    duckdb_path: str | os.PathLike[str],
    vars: Mapping[str, Any] | None,
) -> DbtRun:
    """Run dbt in-process (dbt_helpers.run_dbt) on a project copy and a fixture.

    run_dbt closes dbt-duckdb's database after each invocation, so the fixture's
    DuckDB file can be read right after. Node statuses and messages come from the
    invocation's results.
    """
    project_dir = Path(project_dir).resolve()
    duckdb_path = Path(duckdb_path).resolve()
    all_vars = {**DEFAULT_VARS, **(vars or {}), "raw_data_path": str(Path(raw_dir).resolve())}
    work_dir = duckdb_path.parent
    # One target folder per DuckDB file: the alert gate then reuses the build's
    # partial parse when its vars are the same.
    args = [
        *command,
        "--project-dir", str(project_dir),
        "--target-path", str(work_dir / f"target_{duckdb_path.stem}"),
        "--log-path", str(work_dir / f"logs_{duckdb_path.stem}"),
        "--no-use-colors",
    ]
    result = run_dbt(args, duckdb_path, vars=all_vars, profiles_dir=project_dir, check=False)
    statuses: dict[str, str] = {}
    messages: dict[str, str] = {}
    for node_result in getattr(result.result, "results", None) or []:
        statuses[node_result.node.name] = str(node_result.status)
        messages[node_result.node.name] = str(node_result.message or "")
    log = [] if result.exception is None else [repr(result.exception)]
    return DbtRun(
        args=args,
        success=result.success,
        statuses=statuses,
        messages=messages,
        returncode=0 if result.success else (1 if result.exception is None else 2),
        log=log,
    )


def build(
    project_dir: str | os.PathLike[str],
    raw_dir: str | os.PathLike[str],
    duckdb_path: str | os.PathLike[str],
    vars: Mapping[str, Any] | None = None,
) -> DbtRun:
    """``dbt build --exclude tag:alert`` (seeds, models, non-alert data tests); raises on failure.

    dbt unit tests are left out (``--exclude-resource-type unit_test``): they do not
    read the fixture's data, run elsewhere, and would only repeat per fixture.
    """
    run = _invoke(
        ["build", "--exclude", "tag:alert", "--exclude-resource-type", "unit_test"],
        project_dir, raw_dir, duckdb_path, vars,
    )
    if not run.success:
        raise DbtRunError("dbt build failed:\n" + run.describe_failures())
    return run


@dataclass
class AlertGate:
    passed: bool
    statuses: dict[str, str]  # alert test name -> pass / warn / fail

    def status(self, name: str) -> str:
        return self.statuses[name]


def alert_gate(
    project_dir: str | os.PathLike[str],
    raw_dir: str | os.PathLike[str],
    duckdb_path: str | os.PathLike[str],
    vars: Mapping[str, Any] | None = None,
) -> AlertGate:
    """``dbt test --select tag:alert`` on a built DuckDB file: passed or not.

    A failing error-severity alert makes the gate fail; a warn-severity alert that
    fires shows as status ``warn`` and does not fail it. Any other problem (a test
    that errors, a compilation error) raises.
    """
    run = _invoke(["test", "--select", "tag:alert"], project_dir, raw_dir, duckdb_path, vars)
    if not run.statuses:
        raise DbtRunError("the alert gate ran no test:\n" + run.describe_failures())
    unexpected = {name: status for name, status in run.statuses.items() if status not in ("pass", "warn", "fail")}
    if unexpected or run.returncode not in (0, 1):
        raise DbtRunError(f"the alert gate did not run cleanly ({unexpected}):\n" + run.describe_failures())
    return AlertGate(passed=run.success, statuses=run.statuses)


def query(duckdb_path: str | os.PathLike[str], sql: str, params: Sequence[Any] | None = None) -> list[dict[str, Any]]:
    """Run ``sql`` on the built DuckDB file (read only) and return the rows as dicts.

    Unqualified mart names resolve to the `marts` schema (then `main`).
    """
    connection = connect_read_only(duckdb_path)
    try:
        cursor = connection.execute(sql, params or [])
        columns = [description[0] for description in cursor.description]
        return [dict(zip(columns, row)) for row in cursor.fetchall()]
    finally:
        connection.close()


@dataclass
class Built:
    """One built fixture: where it lives, plus shortcuts to read its marts."""

    project_dir: Path
    raw_dir: Path
    duckdb_path: Path
    vars: dict[str, Any]

    def query(self, sql: str, params: Sequence[Any] | None = None) -> list[dict[str, Any]]:
        return query(self.duckdb_path, sql, params)

    def alert_gate(self, **extra_vars: Any) -> AlertGate:
        return alert_gate(self.project_dir, self.raw_dir, self.duckdb_path, {**self.vars, **extra_vars})


def build_fixture(
    tmp_path: str | os.PathLike[str],
    data: RawData,
    vars: Mapping[str, Any] | None = None,
    seeds: Mapping[str, str | Sequence[Sequence[Any]]] | None = None,
    write: Mapping[str, Any] | None = None,
) -> Built:
    """Write ``data``, copy the project (with ``seeds``), build it, return a :class:`Built`.

    ``write`` passes options to :meth:`RawData.write` (``shopify_api``, ``drop_columns``).
    """
    tmp_path = Path(tmp_path).resolve()
    raw_dir = data.write(tmp_path / "raw", **(write or {}))
    project_dir = project_copy(tmp_path, seeds=seeds)
    duckdb_path = tmp_path / "e2e.duckdb"
    all_vars = {**DEFAULT_VARS, **(vars or {})}
    build(project_dir, raw_dir, duckdb_path, all_vars)
    snapshot_dir = os.environ.get("ECOM_SAGE_GAP_MART_SNAPSHOT_DIR")
    if snapshot_dir:
        # Before/after comparisons of a change to the models (scripts/mart_snapshot.py).
        from mart_snapshot import export

        export(duckdb_path, Path(snapshot_dir) / "fixtures" / tmp_path.name)
    return Built(project_dir=project_dir, raw_dir=raw_dir, duckdb_path=duckdb_path, vars=all_vars)


def load_warehouse(raw_dir: str | os.PathLike[str], database: str | os.PathLike[str]) -> None:
    """Create <source>.<table> tables from the CSVs of ``raw_dir`` (DIR/<source>/<table>.csv),
    typed by DuckDB's detection as a warehouse would type them."""
    import duckdb

    con = duckdb.connect(str(database))
    try:
        con.execute("set TimeZone = 'UTC'")
        for csv_path in sorted(Path(raw_dir).glob("*/*.csv")):
            source, table = csv_path.parent.name, csv_path.stem
            con.execute(f'create schema if not exists "{source}"')
            con.execute(f"""create table "{source}"."{table}" as select * from read_csv('{csv_path}', header = true)""")
    finally:
        con.close()
