"""What a failing or warning data test found, in words: the rows it stored.

Tests that explain themselves keep their failing rows (dbt `store_failures`): the alerts
(a `message` such as "B2B absent 7 > threshold 0 in UK01"), the Sage sync checks and the
rejected-input check (a `problem` beside the instant, the last sync, the value...). dbt's
own output only says "Got 1 result"; the scheduled run and `make demo` print these rows
instead (scripts/dbt_progress.py, scripts/scheduled_run.py).

Reads the working DuckDB database read-only, after dbt has exited (DuckDB allows one
writer or many readers).
"""
from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

PROJECT_DIR = Path(__file__).resolve().parent.parent
SHOWN_ROWS = 5
# Columns that say the finding in words, printed first when a test stores one.
TEXT_COLUMNS = ("message", "problem", "reason")


@dataclass
class Finding:
    test: str
    status: str
    rows: list[dict[str, Any]]
    row_count: int

    def lines(self) -> list[str]:
        """One line per stored row (at most SHOWN_ROWS): its words, then its other values."""
        out = []
        for row in self.rows[:SHOWN_ROWS]:
            words = next((str(row[c]) for c in TEXT_COLUMNS if row.get(c)), None)
            rest = ", ".join(f"{k}={_text(v)}" for k, v in row.items() if k not in TEXT_COLUMNS)
            out.append(f"{words} ({rest})" if words and rest else (words or rest))
        if self.row_count > SHOWN_ROWS:
            out.append(f"... and {self.row_count - SHOWN_ROWS} more row(s)")
        return out


def _text(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S") + ("" if value.tzinfo is None else " UTC")
    return str(value)


def working_database() -> Path:
    return Path(os.environ.get("ECOM_SAGE_GAP_DUCKDB_PATH") or PROJECT_DIR / "ecom_sage_gap.duckdb")


def read_results(target_path: Path) -> list[dict[str, Any]]:
    path = Path(target_path) / "run_results.json"
    if not path.exists():
        return []
    return json.loads(path.read_text(encoding="utf-8")).get("results", [])


def findings(results: Iterable[dict[str, Any]], database: Path | None = None,
             statuses: tuple[str, ...] = ("fail", "warn")) -> list[Finding]:
    """The stored rows of every data test in `results` whose status is in `statuses`."""
    flagged = [r for r in results if r.get("status") in statuses and r["unique_id"].startswith("test.")]
    database = database or working_database()
    if not flagged or not database.exists():
        return [Finding(r["unique_id"].split(".")[2], r["status"], [], 0) for r in flagged]
    found = []
    with contextlib.closing(duckdb.connect(str(database), read_only=True)) as con:
        for result in flagged:
            rows: list[dict[str, Any]] = []
            count = 0
            relation = result.get("relation_name")
            if relation:
                with contextlib.suppress(duckdb.Error):
                    cursor = con.execute(f"select * from {relation}")
                    names = [d[0] for d in cursor.description]
                    fetched = cursor.fetchall()
                    count = len(fetched)
                    rows = [dict(zip(names, values)) for values in sorted(fetched, key=str)]
            found.append(Finding(result["unique_id"].split(".")[2], result["status"], rows, count))
    return found
