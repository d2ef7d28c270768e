"""Write the five published marts of a built DuckDB file as sorted CSVs, or compare two such snapshots.

A refactor that changes a number is a bug until explained: take a snapshot before a
change to the models and one after, on the demo, the fixtures and a scale dataset, and
compare them.

    python scripts/mart_snapshot.py export ecom_sage_gap.duckdb snapshots/before/demo
    python scripts/mart_snapshot.py compare snapshots/before snapshots/after

`comparable` and `row_multiset` say when two engines' rows are the same row (the Spark
checks and `benchmark.py --target spark` compare marts with them).

`export` writes `<mart>.csv` per mart with every column, rows sorted by all columns, so
two builds of the same data give byte-identical files. `compare` walks both folders
(any depth: one sub-folder per dataset or fixture) and prints, per file, identical or the
first differing rows; it exits 1 when anything differs or is missing on one side.
The end-to-end tests write one snapshot per fixture build when the environment
variable ECOM_SAGE_GAP_MART_SNAPSHOT_DIR names a folder.
"""

from __future__ import annotations

import argparse
import collections
import decimal
import difflib
import sys
from datetime import date, datetime, time, timezone
from pathlib import Path

import duckdb

MARTS = (
    "ecom_sage_customer_gap",
    "ecom_sage_customer_gap_cohorts",
    "ecom_sage_customer_gap_customers",
    "ecom_sage_customer_gap_orders",
    "ecom_sage_customer_gap_reconciliation",
    "ecom_sage_vat_mismatch",
    "ecom_sage_customer_match_rate",
    "ecom_orders_without_sage_order",
)


def comparable(value):
    """A value as two engines should agree on it: numbers by value (decimal 12.50 = 12.5
    = 12.5e0; floats to 12 significant digits), timestamps as UTC wall-clock times, dates
    and text exactly, lists and structs element by element; a boolean is not a number."""
    if value is None or isinstance(value, (bool, str, bytes)):
        return value
    if isinstance(value, (int, float, decimal.Decimal)):
        number = (decimal.Decimal(f"{value:.12g}") if isinstance(value, float)
                  else decimal.Decimal(value))
        if number.is_nan():
            return ("number", "NaN")
        if number == 0:
            number = decimal.Decimal(0)  # -0 = 0
        return ("number", str(number.normalize()))
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(timezone.utc).replace(tzinfo=None)
        return ("timestamp", value.isoformat())
    if isinstance(value, (date, time)):
        return (type(value).__name__, value.isoformat())
    if isinstance(value, (list, tuple)):
        return tuple(comparable(item) for item in value)
    if isinstance(value, dict):
        return tuple(sorted((str(key), comparable(item)) for key, item in value.items()))
    return repr(value)


def row_multiset(columns: list[str], rows, wanted: list[str]) -> collections.Counter:
    """The rows (with their column names `columns`) as a multiset of comparable values
    over the columns `wanted`, in that order."""
    positions = [columns.index(name) for name in wanted]
    return collections.Counter(tuple(comparable(row[i]) for i in positions) for row in rows)


def _relation(con: duckdb.DuckDBPyConnection, name: str) -> str:
    rows = con.execute(
        "select table_schema from information_schema.tables where table_name = ? "
        "order by table_schema <> 'marts', table_schema",
        [name],
    ).fetchall()
    if not rows:
        raise SystemExit(f"mart {name} not found in the database")
    return f'"{rows[0][0]}"."{name}"'


def export(database: Path, directory: Path) -> list[Path]:
    """Write each mart of ``database`` to ``directory/<mart>.csv``, sorted by every column."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    con = duckdb.connect(str(database), read_only=True)
    try:
        for mart in MARTS:
            relation = _relation(con, mart)
            columns = [row[0] for row in con.execute(f"describe {relation}").fetchall()]
            order = ", ".join(f'"{column}" nulls first' for column in columns)
            path = directory / f"{mart}.csv"
            con.execute(
                f"copy (select * from {relation} order by {order}) to '{path.as_posix()}' "
                "(header, delimiter ',', quote '\"', timestampformat '%Y-%m-%dT%H:%M:%S.%fZ')"
            )
            written.append(path)
    finally:
        con.close()
    return written


def compare(left: Path, right: Path, max_lines: int = 12) -> bool:
    """Print the differences between two snapshot folders; True when identical."""
    left_files = {path.relative_to(left) for path in left.rglob("*.csv")}
    right_files = {path.relative_to(right) for path in right.rglob("*.csv")}
    same = True
    for missing in sorted(left_files ^ right_files):
        side = right if missing in left_files else left
        print(f"MISSING in {side}: {missing}")
        same = False
    identical = 0
    for relative in sorted(left_files & right_files):
        a = (left / relative).read_text(encoding="utf-8").splitlines()
        b = (right / relative).read_text(encoding="utf-8").splitlines()
        if a == b:
            identical += 1
            continue
        same = False
        print(f"DIFFERS {relative}: {len(a) - 1} rows vs {len(b) - 1} rows")
        diff = list(difflib.unified_diff(a, b, str(left / relative), str(right / relative), lineterm="", n=0))
        for line in diff[2 : 2 + max_lines]:
            print("    " + line)
    print(f"{identical} of {len(left_files | right_files)} mart files identical")
    return same


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    export_parser = commands.add_parser("export", help="write the marts of a DuckDB file as sorted CSVs")
    export_parser.add_argument("database", type=Path)
    export_parser.add_argument("directory", type=Path)
    compare_parser = commands.add_parser("compare", help="compare two snapshot folders")
    compare_parser.add_argument("left", type=Path)
    compare_parser.add_argument("right", type=Path)
    args = parser.parse_args(argv)
    if args.command == "export":
        for path in export(args.database, args.directory):
            print(path)
        return 0
    return 0 if compare(args.left, args.right) else 1


if __name__ == "__main__":
    sys.exit(main())
