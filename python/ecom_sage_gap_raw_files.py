"""File mode's CSV reading rules, in Python: what SQL is not the tool for.

A dbt-duckdb plugin (profiles.yml: `plugins: [{module: ecom_sage_gap_raw_files}]`). It
registers two functions on every DuckDB connection dbt opens, which the file-mode
macros (macros/sources/raw_csv.sql) call while a staging model is compiled:

- ``raw_csv_header(path)``: the column names of the file's header row, as JSON
  ``{"columns": [...]}``, or ``{"problem": "..."}`` when the file is empty, the header is
  not comma-separated names, a name is empty or a name is repeated;
- ``raw_csv_first_bad_row(path, column_count)``: why the file breaks the fixed dialect,
  naming the physical line of the first row whose field count differs from the header's
  (or whose quotes do not close) and how many rows are bad; null when every row is fine.

The dialect (docs/definition/raw-inputs.md) is Python's csv defaults: comma, double-quote
quoting with a doubled quote inside a value, no escape or comment character; a value may
span lines; blank lines are skipped. DuckDB reads the data with the same dialect
(strict mode); these functions only read the header and explain a bad row, so a bad
file fails naming its line instead of a CSV record number.
"""
from __future__ import annotations

import csv
import json

from dbt.adapters.duckdb.plugins import BasePlugin

DIALECT = {"delimiter": ",", "quotechar": '"', "doublequote": True, "strict": True}


class _Lines:
    """The file's lines, remembering those read since the last record began."""

    def __init__(self, handle):
        self.handle = handle
        self.pending: list[str] = []

    def __iter__(self):
        return self

    def __next__(self) -> str:
        line = next(self.handle)
        self.pending.append(line)
        return line

    def take(self) -> str:
        text, self.pending = "".join(self.pending), []
        return text.rstrip("\r\n")


def _records(handle):
    """(first physical line, fields, raw text) of each record; blank lines are skipped.

    A record that breaks the quoting rules comes back with fields None, and ends the file."""
    lines = _Lines(handle)
    reader = csv.reader(lines, **DIALECT)
    line = 1
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error:
            yield line, None, lines.take()
            return
        text = lines.take()
        if fields:
            yield line, fields, text
        line = reader.line_num + 1


def raw_csv_header(path: str) -> str:
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            first = next(_records(handle), None)
    except UnicodeDecodeError:
        return json.dumps({"problem": f"{path} is not UTF-8 text."})
    if first is None:
        return json.dumps({"problem": f"{path} is empty: a CSV needs its header row (it may have no data rows)."})
    line, names, _ = first
    if names is None:
        return json.dumps({"problem": f"{path} line {line}: the header row is not comma-separated names "
                                      "(quotes must enclose a whole name)."})
    seen = set()
    for position, name in enumerate(names, start=1):
        if not name.strip():
            return json.dumps({"problem": f"{path} line {line}: header column {position} has no name."})
        if name.lower() in seen:
            return json.dumps({"problem": f"{path} line {line}: the header names column {name} twice."})
        seen.add(name.lower())
    return json.dumps({"columns": names})


def raw_csv_first_bad_row(path: str, column_count: int) -> str | None:
    first = None
    bad_rows = 0
    with open(path, newline="", encoding="utf-8-sig", errors="replace") as handle:
        records = _records(handle)
        next(records, None)  # the header
        for line, fields, text in records:
            if fields is not None and len(fields) == column_count:
                continue
            bad_rows += 1
            if first is None:
                if fields is None:
                    problem = "a double quote is left open or stands inside an unquoted value"
                else:
                    more_or_fewer = "too many" if len(fields) > column_count else "too few"
                    problem = f"{more_or_fewer} fields ({len(fields)}, the header has {column_count})"
                first = f"{path} line {line}: {problem}: {text[:300]}"
            if fields is None:
                break  # the rest of the file cannot be split into records
    if first is None:
        return None
    return first + (f" [{bad_rows} bad rows in the file, the first shown]" if bad_rows > 1 else "")


class Plugin(BasePlugin):
    """Registers the functions above on each connection dbt-duckdb opens."""

    def configure_connection(self, conn) -> None:
        conn.create_function("raw_csv_header", raw_csv_header, ["VARCHAR"], "VARCHAR", side_effects=True)
        conn.create_function("raw_csv_first_bad_row", raw_csv_first_bad_row, ["VARCHAR", "INTEGER"], "VARCHAR",
                             side_effects=True)
