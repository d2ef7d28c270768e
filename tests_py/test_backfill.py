"""A backfill records past instants in the gap history exactly as scheduled runs at those
instants would (docs/operations.md, "Backfill").

On the demo data: a backfill of 8 weekly instants, run as a scheduler would
(scripts/scheduled_run.py --backfill-from / --backfill-to / --every), against 8 separate
scheduled runs at the same instants into another database: the history rows are the
same (built_at aside, the moment each was written). Running the backfill again changes
nothing; a backfill stopped part way (its last instants missing) is finished by running
it again. The publication made at the end carries the backfilled trend.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from dbt_helpers import PROJECT_DIR

SCHEDULED_RUN = PROJECT_DIR / "scripts" / "scheduled_run.py"
FIRST, LAST = "2026-02-23T09:00:00Z", "2026-04-13T09:00:00Z"
INSTANTS = [dt.datetime(2026, 2, 23, 9) + dt.timedelta(days=7 * n) for n in range(8)]


class Space:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.database = root / "work.duckdb"

    def run(self, *args: str) -> tuple[int, str]:
        env = {k: v for k, v in os.environ.items()
               if k not in ("ECOM_SAGE_GAP_AS_OF", "ECOM_SAGE_GAP_VARS", "ECOM_SAGE_GAP_RAW_DATA_PATH")}
        env.update({"ECOM_SAGE_GAP_DUCKDB_PATH": str(self.database),
                    "ECOM_SAGE_GAP_PUBLISH_DIR": str(self.root / "publish"),
                    "ECOM_SAGE_GAP_RUNS_DIR": str(self.root / "runs"),
                    "DBT_PROFILES_DIR": str(PROJECT_DIR)})
        result = subprocess.run([sys.executable, str(SCHEDULED_RUN), *args], env=env, capture_output=True,
                                text=True, timeout=1800)
        return result.returncode, result.stdout + result.stderr

    def history(self, with_built_at: bool = False) -> list[tuple]:
        con = duckdb.connect(str(self.database), read_only=True)
        try:
            columns = [c[0] for c in con.execute(
                "select column_name from information_schema.columns where table_schema = 'marts' "
                "and table_name = 'ecom_sage_customer_gap_history' order by ordinal_position").fetchall()]
            wanted = [c for c in columns if with_built_at or c != "built_at"]
            return con.execute(f"select {', '.join(wanted)} from marts.ecom_sage_customer_gap_history "
                               "order by as_of, entity_id").fetchall()
        finally:
            con.close()


@pytest.fixture(scope="module")
def backfilled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Space, str]:
    space = Space(tmp_path_factory.mktemp("backfill"))
    code, output = space.run("--backfill-from", FIRST, "--backfill-to", LAST, "--every", "7d")
    assert code == 0, output
    return space, output


@pytest.fixture(scope="module")
def scheduled(tmp_path_factory: pytest.TempPathFactory) -> Space:
    space = Space(tmp_path_factory.mktemp("scheduled"))
    for instant in INSTANTS:
        code, output = space.run("--as-of", instant.strftime("%Y-%m-%dT%H:%M:%SZ"), "--no-publish")
        assert code in (0, 1), output  # 1: an alert fired at that instant, as the demo's do
    return space


def test_the_backfill_shows_its_progress(backfilled) -> None:
    _, output = backfilled
    assert "backfill: 8 instant(s) from 2026-02-23T09:00:00Z to 2026-04-13T09:00:00Z every 7d" in output
    assert "instant 8/8 2026-04-13T09:00:00Z" in output
    assert "backfill: 3 of 8 done" in output and "s to go" in output


def test_the_backfill_records_what_scheduled_runs_record(backfilled, scheduled: Space) -> None:
    space, _ = backfilled
    history = space.history()
    assert [row[0] for row in history] == INSTANTS
    assert history == scheduled.history()
    # The weeks differ: the trend is not one number repeated.
    assert len({row[4] for row in history}) > 2


def test_running_the_backfill_again_changes_nothing(backfilled) -> None:
    space, _ = backfilled
    before = space.history(with_built_at=True)
    code, output = space.run("--backfill-from", FIRST, "--backfill-to", LAST, "--every", "7d")
    assert code == 0, output
    assert "8 already recorded, 0 to evaluate" in output
    assert space.history(with_built_at=True) == before


def test_a_stopped_backfill_is_finished_by_running_it_again(backfilled) -> None:
    space, _ = backfilled
    complete = space.history()
    con = duckdb.connect(str(space.database))
    try:  # as if the backfill had been stopped after its sixth instant
        con.execute("delete from marts.ecom_sage_customer_gap_history where as_of > ?", [INSTANTS[5]])
    finally:
        con.close()
    code, output = space.run("--backfill-from", FIRST, "--backfill-to", LAST, "--every", "7d")
    assert code == 0, output
    assert "6 already recorded, 2 to evaluate" in output
    assert space.history() == complete


def test_the_publication_carries_the_backfilled_trend(backfilled) -> None:
    space, _ = backfilled
    published = space.root / "publish" / "current" / "ecom_sage_gap.duckdb"
    con = duckdb.connect(str(published), read_only=True)
    try:
        as_ofs = [row[0] for row in con.execute(
            "select distinct as_of from ecom_sage_customer_gap_history order by 1").fetchall()]
    finally:
        con.close()
    assert as_ofs == INSTANTS
    page = (space.root / "publish" / "current" / "card.html").read_text(encoding="utf-8")
    assert page.count('class="point"') >= len(INSTANTS) or page.count("<circle") >= len(INSTANTS)


def test_a_backfill_refuses_instants_it_cannot_read(tmp_path: Path) -> None:
    code, output = Space(tmp_path).run("--backfill-from", "5 Jan 2026", "--backfill-to", LAST)
    assert code != 0 and "--backfill-from is not an ISO-8601 date" in output
    code, output = Space(tmp_path).run("--backfill-from", FIRST, "--backfill-to", LAST, "--every", "weekly")
    assert code != 0 and "--every must be a whole number of days or hours" in output
