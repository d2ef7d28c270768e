"""The scheduled run and the publication, end to end, as cron would run them.

scripts/scheduled_run.py runs as a child process (dbt builds the demo data into a
DuckDB file of this module's own, then the alert gate, then the publication), while
the test plays a BI tool: it holds the published DuckDB file open and opens the
current one again and again, checking it always reads one whole run.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from dbt_helpers import PROJECT_DIR

sys.path.insert(0, str(PROJECT_DIR / "scripts"))
import publish as publisher  # noqa: E402

SCHEDULED_RUN = PROJECT_DIR / "scripts" / "scheduled_run.py"
PUBLISHED_MARTS = (
    "ecom_sage_customer_gap",
    "ecom_sage_customer_gap_cohorts",
    "ecom_sage_customer_gap_customers",
    "ecom_sage_customer_gap_orders",
    "ecom_sage_customer_gap_reconciliation",
)
FIRST_AS_OF = "2026-04-14T09:00:00Z"


class Workspace:
    """The folders one scheduler uses: working database, publication, run artifacts."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.database = root / "work.duckdb"
        self.publish_dir = root / "publish"
        self.runs_dir = root / "runs"

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update({
            "ECOM_SAGE_GAP_DUCKDB_PATH": str(self.database),
            "ECOM_SAGE_GAP_PUBLISH_DIR": str(self.publish_dir),
            "ECOM_SAGE_GAP_RUNS_DIR": str(self.runs_dir),
            "DBT_PROFILES_DIR": str(PROJECT_DIR),
        })
        for name in ("ECOM_SAGE_GAP_AS_OF", "ECOM_SAGE_GAP_VARS", "ECOM_SAGE_GAP_RAW_DATA_PATH"):
            env.pop(name, None)
        return env

    def start(self, *args: str) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, str(SCHEDULED_RUN), *args], env=self.env(),
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                start_new_session=True)

    def run(self, *args: str) -> tuple[int, str]:
        process = self.start(*args)
        output, _ = process.communicate(timeout=600)
        return process.returncode, output

    @property
    def current_file(self) -> Path:
        return self.publish_dir / "current" / publisher.DATABASE_FILE

    def current_version(self) -> str:
        return os.readlink(self.publish_dir / "current")


def read_set(con: duckdb.DuckDBPyConnection) -> str:
    """The as_of of a published set, after checking every table belongs to that one run."""
    as_ofs = set()
    for mart in PUBLISHED_MARTS:
        as_ofs |= {row[0] for row in con.execute(f"select distinct as_of from {mart}").fetchall()}
    latest_history = con.execute("select max(as_of) from ecom_sage_customer_gap_history").fetchone()[0]
    assert len(as_ofs) == 1, f"a published set mixes runs: {as_ofs}"
    (as_of,) = as_ofs
    assert latest_history == as_of, f"history ends at {latest_history}, the marts are at {as_of}"
    headline = con.execute("select sum(absent_customers) from ecom_sage_customer_gap").fetchone()[0]
    listed = con.execute("select count(*) from ecom_sage_customer_gap_customers").fetchone()[0]
    assert headline == listed, f"headline {headline} but {listed} customers listed"
    return as_of.strftime("%Y-%m-%dT%H:%M:%SZ")


def open_current(workspace: Workspace) -> str:
    con = duckdb.connect(str(workspace.current_file), read_only=True)
    try:
        return read_set(con)
    finally:
        con.close()


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """A first scheduled run on the demo data: published, the B2B alert fires (exit 1)."""
    space = Workspace(tmp_path_factory.mktemp("schedule"))
    code, output = space.run("--as-of", FIRST_AS_OF)
    assert code == 1, output
    assert "ALERT: B2B absent 7 > threshold 0 in the single entity" in output, output
    return space


def test_first_run_publishes_every_table_and_keeps_its_artifacts(workspace: Workspace) -> None:
    assert open_current(workspace) == FIRST_AS_OF
    folder = workspace.publish_dir / workspace.current_version()
    manifest = json.loads((folder / "publication.json").read_text())
    assert set(manifest["tables"]) == set(PUBLISHED_MARTS) | {
        "ecom_sage_customer_gap_history", "ecom_sage_input_rejections", "ecom_sage_vat_mismatch",
        "ecom_sage_customer_match_rate", "ecom_orders_without_sage_order"}
    assert manifest["tables"]["ecom_sage_input_rejections"]["rows"] == 0
    assert manifest["tables"]["ecom_sage_customer_gap_customers"]["rows"] == 34
    for table in manifest["tables"]:
        rows = duckdb.sql(f"select count(*) from read_parquet('{folder / (table + '.parquet')}')").fetchone()[0]
        assert rows == manifest["tables"][table]["rows"], table
    (run_dir,) = [p for p in workspace.runs_dir.iterdir() if p.is_dir()]
    for step in ("build", "alert_gate"):
        for artifact in ("run_results.json", "manifest.json", "dbt.log"):
            assert (run_dir / step / artifact).exists(), f"{step}/{artifact}"
    summary = json.loads((run_dir / "summary.json").read_text())
    assert summary["exit_code"] == 1
    assert summary["vars"]["gap_as_of"] == FIRST_AS_OF
    assert {a["message"] for a in summary["alerts"]} == {
        "B2B absent 7 > threshold 0 in the single entity",
        "Absent customers 34 > threshold 10 in the single entity",
        "B2B VAT number mismatches 3 > threshold 0 in the single entity (1 missing in Sage)",
    }


def test_a_run_killed_mid_build_leaves_the_publication_intact(workspace: Workspace) -> None:
    before = workspace.current_version()
    process = workspace.start("--as-of", "2026-04-20T09:00:00Z")
    deadline = time.monotonic() + 300
    # Kill once dbt has built something (the working database is being written).
    while time.monotonic() < deadline:
        logs = list(workspace.runs_dir.glob("*/build/dbt.log"))
        if any("of" in log.read_text(errors="replace") and " OK created " in log.read_text(errors="replace")
               for log in logs) and process.poll() is None:
            break
        time.sleep(0.2)
    assert process.poll() is None, "the run ended before it could be killed"
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    assert workspace.current_version() == before
    assert open_current(workspace) == FIRST_AS_OF
    assert not list(workspace.publish_dir.glob(".v*")), "no half-written version is visible"


def test_a_reader_holding_the_file_sees_the_old_set_then_the_new_one(workspace: Workspace) -> None:
    held = duckdb.connect(str(workspace.current_file), read_only=True)
    second = "2026-04-15T09:00:00Z"
    seen: list[str] = []
    try:
        assert read_set(held) == FIRST_AS_OF
        # Thresholds that let the gap pass: the run exits 0.
        process = workspace.start("--as-of", second,
                                  "--vars", "{gap_b2b_alert_threshold: 100, gap_alert_threshold: 100}")
        while process.poll() is None:
            seen.append(open_current(workspace))
            assert read_set(held) == FIRST_AS_OF
            time.sleep(0.1)
        output = process.stdout.read()
        assert process.returncode == 0, output
        seen.append(open_current(workspace))
        assert read_set(held) == FIRST_AS_OF, "the held file still reads the old set"
    finally:
        held.close()
    assert seen[0] == FIRST_AS_OF and seen[-1] == second, seen
    switch = seen.index(second)
    assert set(seen[:switch]) == {FIRST_AS_OF} and set(seen[switch:]) == {second}, "old, then new, never back"
    assert len(seen) > 20, "the reader polled through the run"


def test_a_failing_build_publishes_nothing_and_exits_2(workspace: Workspace) -> None:
    before = workspace.current_version()
    code, output = workspace.run("--as-of", "2026-04-16T09:00:00Z", "--vars", "{gap_scope: everyone}")
    assert code == 2, output
    assert "gap_scope must be 'all' or 'b2b'" in output
    assert workspace.current_version() == before


def test_a_publish_that_dies_half_way_leaves_the_previous_one(workspace: Workspace, monkeypatch) -> None:
    before = workspace.current_version()
    as_of = open_current(workspace)
    real_copy = publisher.fsync_tree

    def die(path: Path) -> None:
        real_copy(path)
        raise OSError("disk full")

    monkeypatch.setattr(publisher, "fsync_tree", die)
    with pytest.raises(OSError):
        publisher.publish(workspace.database, workspace.publish_dir)
    assert workspace.current_version() == before
    assert open_current(workspace) == as_of
    assert not list(workspace.publish_dir.glob(".v*")), "the half-written version is removed"


def test_old_versions_are_removed_keeping_a_few(workspace: Workspace) -> None:
    for _ in range(3):
        publisher.publish(workspace.database, workspace.publish_dir, keep=2)
    versions = sorted(p.name for p in workspace.publish_dir.glob("v*"))
    assert len(versions) == 2 and workspace.current_version() == versions[-1]


def test_input_rejections_are_published_with_the_set(workspace: Workspace, tmp_path: Path) -> None:
    # The rejected-rows table is published with the marts, its rows included.
    database = tmp_path / "with_rejections.duckdb"
    shutil.copy2(workspace.database, database)
    con = duckdb.connect(str(database))
    try:
        con.execute("insert into marts.ecom_sage_input_rejections (source_name, table_name, row_id, column_name, "
                    "raw_value, reason, could_affect_window) values ('shopify', 'order', '1001', 'created_at', "
                    "'yesterday', 'not a timestamp', true)")
    finally:
        con.close()
    publication = publisher.publish(database, tmp_path / "publish")
    assert publication.tables["ecom_sage_input_rejections"] == 1
    assert (publication.path / "ecom_sage_input_rejections.parquet").exists()
    published = duckdb.connect(str(publication.path / publisher.DATABASE_FILE), read_only=True)
    try:
        assert published.execute("select reason from ecom_sage_input_rejections").fetchall() == [("not a timestamp",)]
    finally:
        published.close()


def test_a_failing_check_says_why_and_exits_2(workspace: Workspace) -> None:
    # The data's last Sage sync (14 Apr 2026) is years before this instant: the sync check
    # fails the run, and the run prints the check's reason, not only "Got 1 result".
    before = workspace.current_version()
    code, output = workspace.run("--as-of", "2030-01-01T00:00:00Z")
    assert code == 2, output
    assert "why sage_sync_is_recent: the last Sage sync is more than sage_sync_max_age_hours (72 h)" in output
    assert "sage_last_synced_at=2026-04-14 03:00:00" in output and "as_of=2030-01-01 00:00:00" in output
    assert workspace.current_version() == before


def make_in(folder: Path, *args: str) -> subprocess.CompletedProcess:
    """The project's Makefile run in a folder of the test's own (no dbt needed)."""
    shutil.copy(PROJECT_DIR / "Makefile", folder / "Makefile")
    env = {k: v for k, v in os.environ.items() if k not in ("ECOM_SAGE_GAP_DUCKDB_PATH", "VARS")}
    return subprocess.run(["make", "-s", *args], cwd=folder, env=env, capture_output=True, text=True)


def test_make_clean_keeps_the_gap_history_and_the_publication(tmp_path: Path) -> None:
    for kept in ("ecom_sage_gap.duckdb", "publish/current.json", "publish/v1/ecom_sage_gap.duckdb"):
        (tmp_path / kept).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / kept).write_text("kept")
    for removed in ("target/run_results.json", "logs/dbt.log"):
        (tmp_path / removed).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / removed).write_text("build output")
    result = make_in(tmp_path, "clean")
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "target").exists() and not (tmp_path / "logs").exists()
    assert (tmp_path / "ecom_sage_gap.duckdb").exists() and (tmp_path / "publish" / "v1").exists()
    # Deleting them is a separate, explicit step.
    refused = make_in(tmp_path, "purge")
    assert refused.returncode != 0 and "CONFIRM=yes" in refused.stdout + refused.stderr
    assert (tmp_path / "ecom_sage_gap.duckdb").exists()
    done = make_in(tmp_path, "purge", "CONFIRM=yes")
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "ecom_sage_gap.duckdb").exists() and not (tmp_path / "publish").exists()


def test_make_targets_refuse_vars_they_would_ignore(tmp_path: Path) -> None:
    result = make_in(tmp_path, "clean", "VARS={gap_as_of: 2026-01-01}")
    assert result.returncode != 0
    assert "does not take VARS" in result.stderr
