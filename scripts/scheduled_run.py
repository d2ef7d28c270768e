"""The scheduled run: build, alert gate, publish. What cron or CI calls.

    .venv/bin/python scripts/scheduled_run.py [--as-of ISO] [--raw-data-path DIR] [--vars YAML]
    .venv/bin/python scripts/scheduled_run.py --backfill-from ISO --backfill-to ISO [--every 7d]

Settings, each from an option or else the environment:
  --as-of            ECOM_SAGE_GAP_AS_OF          evaluation instant (default: now, UTC)
  --raw-data-path    ECOM_SAGE_GAP_RAW_DATA_PATH  file-mode data folder ("" = warehouse
                                                  sources; unset = the project's default)
  --vars             ECOM_SAGE_GAP_VARS           more dbt vars, a YAML / JSON mapping
  --publish-dir      ECOM_SAGE_GAP_PUBLISH_DIR    publication folder (default publish/)
  --runs-dir         ECOM_SAGE_GAP_RUNS_DIR       run artifacts (default target/runs)
  the working database: ECOM_SAGE_GAP_DUCKDB_PATH (read by profiles.yml)

Steps, each a dbt process of its own:
  1. `dbt build --exclude tag:alert resource_type:unit_test`
                                       seeds, models and data tests (unit tests test the
                                       code, not the data: `make test` and CI run them)
  2. `dbt test --select tag:alert`     the alert gate, after the marts exist
  3. publish                           the marts, history and rejections, as one set
                                       (scripts/publish.py), after a successful build
A failing or warning check is explained by the rows it keeps (scripts/failure_rows.py):
the Sage sync check prints its problem, the instant and the last sync, not "Got 1 result".

Backfill (docs/operations.md): evaluates a series of past instants, FROM, FROM + EVERY,
... up to TO, from the data as it is now, and records each in the gap history exactly as
a scheduled run at that instant would (the same rows), then publishes once. The first
instant is a full build; each later one rebuilds only what depends on gap_as_of (the
inputs, seeds and unit tests do not change between instants). An instant already in the
history is skipped, so a backfill stopped half way is finished by running it again
(--replace evaluates them again). The alert gate is not run for past instants.

Each run keeps its artifacts in <runs-dir>/<UTC timestamp>/ (build/, alert_gate/ or
instant_<n>/: run_results.json, manifest.json, dbt.log, compiled SQL) and summary.json
(settings, step results, findings, alert messages, published version).

Exit code: 0 ok (warnings included), 1 an alert fired (the B2B gate, severity error),
2 an error (the build failed, the gate could not run, or the publish failed). When the
build fails nothing is published: the previous publication stays current. Run this
script itself from a scheduler: `make schedule` reports every failure as make's own 2.
"""
from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import fcntl
import json
import os
import re
import shutil
import sys
import time
import traceback
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import duckdb
import yaml

SCRIPTS_DIR = Path(__file__).resolve().parent
PROJECT_DIR = SCRIPTS_DIR.parent
sys.path.insert(0, str(SCRIPTS_DIR))
import dbt_progress  # noqa: E402
import failure_rows  # noqa: E402
import publish as publisher  # noqa: E402

EXIT_OK, EXIT_ALERT, EXIT_ERROR = 0, 1, 2
KEEP_RUNS = 30
BUILD = ["build", "--exclude", "tag:alert", "resource_type:unit_test"]
# What a later instant of a backfill does not rebuild: nothing here depends on gap_as_of.
AS_OF_INDEPENDENT = ["resource_type:seed", "path:models/staging", "int_ecom_orders", "int_ecom_customer_addresses"]
EVERY = re.compile(r"^\s*(\d+)\s*([dh])\s*$")


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def iso_z(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_instant(text: str, name: str) -> dt.datetime:
    """An ISO-8601 date or date-time; no offset = UTC."""
    try:
        moment = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise SystemExit(f"{name} is not an ISO-8601 date or date-time (e.g. 2026-01-05 or "
                         f"2026-01-05T09:00:00Z), got {text!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


def parse_every(text: str) -> dt.timedelta:
    match = EVERY.match(text or "")
    if not match or int(match.group(1)) == 0:
        raise SystemExit(f"--every must be a whole number of days or hours, e.g. 7d or 12h, got {text!r}")
    return dt.timedelta(**{"days" if match.group(2) == "d" else "hours": int(match.group(1))})


def backfill_instants(start: dt.datetime, end: dt.datetime, every: dt.timedelta) -> list[dt.datetime]:
    if end < start:
        raise SystemExit(f"--backfill-to ({iso_z(end)}) is before --backfill-from ({iso_z(start)})")
    instants, moment = [], start
    while moment <= end:
        instants.append(moment)
        moment += every
    return instants


def load_vars(text: str | None) -> dict[str, Any]:
    if not text or not text.strip():
        return {}
    loaded = yaml.safe_load(text)
    if not isinstance(loaded, dict):
        raise SystemExit(f"vars must be a YAML mapping, got {text!r}")
    return loaded


def settings(args: argparse.Namespace, now: dt.datetime) -> dict[str, Any]:
    """The dbt vars of this run: --vars / ECOM_SAGE_GAP_VARS, then the explicit settings."""
    run_vars = load_vars(args.vars if args.vars is not None else os.environ.get("ECOM_SAGE_GAP_VARS"))
    as_of = args.as_of or os.environ.get("ECOM_SAGE_GAP_AS_OF") or run_vars.get("gap_as_of")
    # One instant for the build and the gate alike (the model default would be each
    # dbt invocation's own start time).
    run_vars["gap_as_of"] = str(as_of) if as_of else iso_z(now)
    raw = args.raw_data_path if args.raw_data_path is not None else os.environ.get("ECOM_SAGE_GAP_RAW_DATA_PATH")
    if raw is not None:
        run_vars["raw_data_path"] = str(Path(raw).resolve()) if raw.strip() else ""
    return run_vars


@contextlib.contextmanager
def run_lock(runs_dir: Path) -> Iterator[None]:
    """One scheduled run at a time (both would write the same DuckDB file)."""
    runs_dir.mkdir(parents=True, exist_ok=True)
    with open(runs_dir / ".lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RuntimeError(f"another scheduled run holds {runs_dir / '.lock'}") from None
        yield


def new_run_dir(runs_dir: Path, now: dt.datetime) -> Path:
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    path, n = runs_dir / stamp, 1
    while path.exists():
        n += 1
        path = runs_dir / f"{stamp}-{n}"
    path.mkdir(parents=True)
    return path


def prune_runs(runs_dir: Path, keep: int) -> None:
    runs = sorted(p for p in runs_dir.iterdir() if p.is_dir() and p.name[:1].isdigit())
    for old in runs[:-keep] if keep > 0 else []:
        shutil.rmtree(old, ignore_errors=True)


def dbt(step: str, command: Sequence[str], run_dir: Path, run_vars: dict[str, Any],
        label: str | None = None) -> int:
    """Run one dbt step with its own target and log folder under the run's folder."""
    folder = run_dir / step
    args = [*command, "--vars", json.dumps(run_vars), "--project-dir", str(PROJECT_DIR),
            "--target-path", str(folder), "--log-path", str(folder)]
    env = dict(os.environ)
    env.setdefault("DBT_PROFILES_DIR", str(PROJECT_DIR))
    code = dbt_progress.run(args, label=label or f"{step:<10}", env=env, cwd=PROJECT_DIR)
    # Caches for the next parse in this folder: there is none, and they are large.
    for cache in ("partial_parse.msgpack", "graph.gpickle"):
        (folder / cache).unlink(missing_ok=True)
    return code


def working_database() -> Path:
    return failure_rows.working_database()


def findings_summary(folder: Path) -> list[dict[str, Any]]:
    """The tests of one step that failed or warned, with their stored rows in words."""
    found = failure_rows.findings(failure_rows.read_results(folder), working_database())
    return [{"test": f.test, "status": f.status, "rows": f.row_count, "explained": f.lines()} for f in found]


def alert_messages(results: list[dict[str, Any]]) -> list[dict[str, str]]:
    """What each fired alert says, from the rows the test stored (store_failures)."""
    messages = []
    for finding in failure_rows.findings(results, working_database()):
        texts = [str(row["message"]) for row in finding.rows if row.get("message")]
        for text in texts or ["fired"]:
            messages.append({"test": finding.test, "status": finding.status, "message": text})
    return messages


def recorded_instants(database: Path) -> set[dt.datetime]:
    """The as_of instants the gap history holds (none before a first build)."""
    if not database.exists():
        return set()
    with contextlib.closing(duckdb.connect(str(database), read_only=True)) as con:
        with contextlib.suppress(duckdb.Error):
            rows = con.execute("select distinct as_of from marts.ecom_sage_customer_gap_history").fetchall()
            return {row[0].replace(tzinfo=dt.timezone.utc) for row in rows}
    return set()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--as-of", default=None)
    parser.add_argument("--raw-data-path", default=None)
    parser.add_argument("--vars", default=None)
    parser.add_argument("--publish-dir", default=None)
    parser.add_argument("--runs-dir", default=None)
    parser.add_argument("--keep-runs", type=int, default=KEEP_RUNS, help="run folders to keep (default 30)")
    parser.add_argument("--full-refresh", action="store_true", help="rebuild incremental models (not the history)")
    parser.add_argument("--no-publish", action="store_true")
    parser.add_argument("--backfill-from", default=None, help="backfill: the first instant to evaluate")
    parser.add_argument("--backfill-to", default=None, help="backfill: the last instant (inclusive)")
    parser.add_argument("--every", default="7d", help="backfill: the step between instants (e.g. 7d, 1d, 12h)")
    parser.add_argument("--replace", action="store_true", help="backfill: evaluate instants already recorded again")
    args = parser.parse_args(argv)
    if bool(args.backfill_from) != bool(args.backfill_to):
        parser.error("a backfill needs both --backfill-from and --backfill-to")
    if args.backfill_from and args.as_of:
        parser.error("--as-of and a backfill exclude each other: the backfill's instants are its as_of")

    now = utc_now()
    runs_dir = Path(args.runs_dir or os.environ.get("ECOM_SAGE_GAP_RUNS_DIR") or PROJECT_DIR / "target" / "runs")
    run_vars = settings(args, now)
    kind = "backfill" if args.backfill_from else "scheduled run"
    try:
        with run_lock(runs_dir):
            run_dir = new_run_dir(runs_dir, now)
            summary: dict[str, Any] = {"kind": kind, "started_at": iso_z(now), "vars": run_vars, "steps": {}}
            try:
                if args.backfill_from:
                    code = backfill(args, run_dir, run_vars, summary)
                else:
                    code = scheduled_run(args, run_dir, run_vars, summary)
            except SystemExit:
                raise
            except Exception as error:  # noqa: BLE001 - reported, and the run exits 2
                traceback.print_exc()
                summary["error"] = repr(error)
                code = EXIT_ERROR
            summary["finished_at"] = iso_z(utc_now())
            summary["exit_code"] = code
            (run_dir / "summary.json").write_text(json.dumps(summary, indent=2, default=str) + "\n")
            prune_runs(runs_dir, args.keep_runs)
    except RuntimeError as error:
        print(f"{kind} not started: {error}", file=sys.stderr)
        return EXIT_ERROR
    print(f"{kind} {run_dir.name}: exit {code} "
          f"({ {0: 'ok', 1: 'alert fired', 2: 'error'}[code] }); artifacts in {run_dir}")
    return code


def describe_data(run_vars: dict[str, Any]) -> str:
    if "raw_data_path" not in run_vars:
        return ("raw_data_path of dbt_project.yml (the bundled demo unless changed; "
                "set ECOM_SAGE_GAP_RAW_DATA_PATH)")
    return run_vars["raw_data_path"] or "warehouse sources"


def publish_step(args: argparse.Namespace, summary: dict[str, Any]) -> int:
    if args.no_publish:
        summary["publication"] = None
        return EXIT_OK
    try:
        publication = publisher.publish(publish_dir=args.publish_dir)
    except (publisher.PublishError, duckdb.Error, OSError) as error:
        summary["publication"] = {"error": str(error)}
        print(f"publish failed, the previous publication stays current: {error}", file=sys.stderr)
        return EXIT_ERROR
    summary["publication"] = {"version": publication.version, "path": str(publication.path),
                              "tables": publication.tables}
    print(f"published {publication.version} to {publication.path}")
    return EXIT_OK


def scheduled_run(args: argparse.Namespace, run_dir: Path, run_vars: dict[str, Any],
                  summary: dict[str, Any]) -> int:
    print(f"scheduled run: as_of {run_vars['gap_as_of']}, data {describe_data(run_vars)}, "
          f"database {working_database()}")
    build_code = dbt("build", BUILD + (["--full-refresh"] if args.full_refresh else []), run_dir, run_vars)
    summary["steps"]["build"] = build_code
    summary["findings"] = findings_summary(run_dir / "build")
    if build_code != 0:
        print("build failed: nothing published, the previous publication stays current", file=sys.stderr)
        return EXIT_ERROR

    gate_code = dbt("alert_gate", ["test", "--select", "tag:alert"], run_dir, run_vars)
    summary["steps"]["alert_gate"] = gate_code
    results = failure_rows.read_results(run_dir / "alert_gate")
    messages = alert_messages(results)
    summary["alerts"] = messages
    for alert in messages:
        word = "ALERT" if alert["status"] == "fail" else "warning"
        print(f"{word}: {alert['message']}  ({alert['test']})")
    statuses = {r["status"] for r in results}
    gate_error = gate_code not in (0, 1) or not results or bool(statuses - {"pass", "warn", "fail"})

    if publish_step(args, summary) or gate_error:
        return EXIT_ERROR
    return EXIT_ALERT if "fail" in statuses else EXIT_OK


def backfill(args: argparse.Namespace, run_dir: Path, run_vars: dict[str, Any],
             summary: dict[str, Any]) -> int:
    every = parse_every(args.every)
    instants = backfill_instants(parse_instant(args.backfill_from, "--backfill-from"),
                                 parse_instant(args.backfill_to, "--backfill-to"), every)
    recorded = recorded_instants(working_database())
    todo = [moment for moment in instants if args.replace or moment not in recorded]
    summary["backfill"] = {"instants": [iso_z(m) for m in instants], "evaluated": [], "skipped":
                           [iso_z(m) for m in instants if m not in todo]}
    print(f"backfill: {len(instants)} instant(s) from {iso_z(instants[0])} to {iso_z(instants[-1])} "
          f"every {args.every.strip()}; {len(instants) - len(todo)} already recorded, {len(todo)} to evaluate; "
          f"data {describe_data(run_vars)}, database {working_database()}")
    started = time.monotonic()
    for number, moment in enumerate(todo, start=1):
        instant_vars = {**run_vars, "gap_as_of": iso_z(moment)}
        # The first instant builds everything (inputs refreshed, every data test); the
        # later ones only what depends on gap_as_of.
        command = BUILD + (["--full-refresh"] if args.full_refresh and number == 1 else [])
        if number > 1:
            command = command + AS_OF_INDEPENDENT
        code = dbt(f"instant_{number:03d}", command, run_dir, instant_vars,
                   label=f"instant {number}/{len(todo)} {iso_z(moment)}")
        summary["steps"][iso_z(moment)] = code
        if code != 0:
            summary["findings"] = findings_summary(run_dir / f"instant_{number:03d}")
            print(f"backfill stopped at {iso_z(moment)}: its build failed; the instants before it are "
                  "recorded, run the backfill again to go on; nothing published", file=sys.stderr)
            return EXIT_ERROR
        summary["backfill"]["evaluated"].append(iso_z(moment))
        elapsed = time.monotonic() - started
        remaining = elapsed / number * (len(todo) - number)
        print(f"backfill: {number} of {len(todo)} done, {elapsed:.0f} s elapsed, about {remaining:.0f} s to go")
    if not todo:
        print("backfill: every instant is already recorded (--replace evaluates them again)")
    return publish_step(args, summary)


if __name__ == "__main__":
    sys.exit(main())
