"""The scheduled run: build, alert gate, publish. What cron or CI calls (`make schedule`).

    python scripts/scheduled_run.py [--as-of ISO] [--raw-data-path DIR] [--vars YAML]

Settings, each from an option or else the environment:
  --as-of            ECOM_SAGE_GAP_AS_OF          evaluation instant (default: now, UTC)
  --raw-data-path    ECOM_SAGE_GAP_RAW_DATA_PATH  file-mode data folder ("" = warehouse
                                                  sources; unset = the project's default)
  --vars             ECOM_SAGE_GAP_VARS           more dbt vars, a YAML / JSON mapping
  --publish-dir      ECOM_SAGE_GAP_PUBLISH_DIR    publication folder (default publish/)
  --runs-dir         ECOM_SAGE_GAP_RUNS_DIR       run artifacts (default target/runs)
  the working database: ECOM_SAGE_GAP_DUCKDB_PATH (read by profiles.yml)

Steps, each a dbt process of its own:
  1. `dbt build --exclude tag:alert`   seeds, models, unit and data tests
  2. `dbt test --select tag:alert`     the alert gate, after the marts exist
  3. publish                           the marts, history and rejections, as one set
                                       (scripts/publish.py), after a successful build

Each run keeps its artifacts in <runs-dir>/<UTC timestamp>/: build/ and alert_gate/
(run_results.json, manifest.json, dbt.log, compiled SQL) and summary.json (settings,
step results, alert messages, published version).

Exit code: 0 ok, 1 an alert fired (the B2B gate, severity error), 2 an error (the
build failed, the gate could not run, or the publish failed). When the build fails
nothing is published: the previous publication stays current.
"""
from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import fcntl
import json
import os
import shutil
import sys
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
import publish as publisher  # noqa: E402

EXIT_OK, EXIT_ALERT, EXIT_ERROR = 0, 1, 2
KEEP_RUNS = 30


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def iso_z(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


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


def dbt(step: str, command: Sequence[str], run_dir: Path, run_vars: dict[str, Any]) -> int:
    """Run one dbt step with its own target and log folder under the run's folder."""
    folder = run_dir / step
    args = [*command, "--vars", json.dumps(run_vars), "--project-dir", str(PROJECT_DIR),
            "--target-path", str(folder), "--log-path", str(folder)]
    env = dict(os.environ)
    env.setdefault("DBT_PROFILES_DIR", str(PROJECT_DIR))
    code = dbt_progress.run(args, label=f"{step:<10}", env=env, cwd=PROJECT_DIR)
    # Caches for the next parse in this folder: there is none, and they are large.
    for cache in ("partial_parse.msgpack", "graph.gpickle"):
        (folder / cache).unlink(missing_ok=True)
    return code


def read_results(folder: Path) -> list[dict[str, Any]]:
    path = folder / "run_results.json"
    if not path.exists():
        return []
    return json.loads(path.read_text(encoding="utf-8")).get("results", [])


def working_database() -> Path:
    return Path(os.environ.get("ECOM_SAGE_GAP_DUCKDB_PATH") or PROJECT_DIR / "ecom_sage_gap.duckdb")


def alert_messages(results: list[dict[str, Any]]) -> list[dict[str, str]]:
    """What each fired alert says, from the rows the test stored (store_failures)."""
    fired = [r for r in results if r.get("status") in ("fail", "warn")]
    if not fired:
        return []
    messages = []
    con = duckdb.connect(str(working_database()), read_only=True)
    try:
        for result in fired:
            name = result["unique_id"].split(".")[2]
            relation = result.get("relation_name") or ""
            parts = [p.strip('"') for p in relation.split(".")]
            texts: list[str] = []
            if len(parts) >= 2:
                with contextlib.suppress(duckdb.Error):
                    texts = [row[0] for row in con.execute(
                        f'select message from "{parts[-2]}"."{parts[-1]}" order by 1').fetchall()]
            for text in texts or [result.get("message") or "fired"]:
                messages.append({"test": name, "status": result["status"], "message": text})
    finally:
        con.close()
    return messages


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
    args = parser.parse_args(argv)

    now = utc_now()
    runs_dir = Path(args.runs_dir or os.environ.get("ECOM_SAGE_GAP_RUNS_DIR") or PROJECT_DIR / "target" / "runs")
    run_vars = settings(args, now)
    try:
        with run_lock(runs_dir):
            run_dir = new_run_dir(runs_dir, now)
            summary: dict[str, Any] = {"started_at": iso_z(now), "vars": run_vars, "steps": {}}
            try:
                code = scheduled_run(args, run_dir, run_vars, summary)
            except Exception as error:  # noqa: BLE001 - reported, and the run exits 2
                traceback.print_exc()
                summary["error"] = repr(error)
                code = EXIT_ERROR
            summary["finished_at"] = iso_z(utc_now())
            summary["exit_code"] = code
            (run_dir / "summary.json").write_text(json.dumps(summary, indent=2, default=str) + "\n")
            prune_runs(runs_dir, args.keep_runs)
    except RuntimeError as error:
        print(f"scheduled run not started: {error}", file=sys.stderr)
        return EXIT_ERROR
    print(f"scheduled run {run_dir.name}: exit {code} "
          f"({ {0: 'ok', 1: 'alert fired', 2: 'error'}[code] }); artifacts in {run_dir}")
    return code


def scheduled_run(args: argparse.Namespace, run_dir: Path, run_vars: dict[str, Any],
                  summary: dict[str, Any]) -> int:
    if "raw_data_path" not in run_vars:
        data = ("raw_data_path of dbt_project.yml (the bundled demo unless changed; "
                "set ECOM_SAGE_GAP_RAW_DATA_PATH)")
    else:
        data = run_vars["raw_data_path"] or "warehouse sources"
    print(f"scheduled run: as_of {run_vars['gap_as_of']}, data {data}, database {working_database()}")
    build = ["build", "--exclude", "tag:alert"] + (["--full-refresh"] if args.full_refresh else [])
    build_code = dbt("build", build, run_dir, run_vars)
    summary["steps"]["build"] = build_code
    if build_code != 0:
        print("build failed: nothing published, the previous publication stays current", file=sys.stderr)
        return EXIT_ERROR

    gate_code = dbt("alert_gate", ["test", "--select", "tag:alert"], run_dir, run_vars)
    summary["steps"]["alert_gate"] = gate_code
    results = read_results(run_dir / "alert_gate")
    messages = alert_messages(results)
    summary["alerts"] = messages
    for alert in messages:
        word = "ALERT" if alert["status"] == "fail" else "warning"
        print(f"{word}: {alert['message']}  ({alert['test']})")
    statuses = {r["status"] for r in results}
    gate_error = gate_code not in (0, 1) or not results or bool(statuses - {"pass", "warn", "fail"})

    publish_code = EXIT_OK
    if args.no_publish:
        summary["publication"] = None
    else:
        try:
            publication = publisher.publish(publish_dir=args.publish_dir)
            summary["publication"] = {"version": publication.version, "path": str(publication.path),
                                      "tables": publication.tables}
            print(f"published {publication.version} to {publication.path}")
        except (publisher.PublishError, duckdb.Error, OSError) as error:
            summary["publication"] = {"error": str(error)}
            print(f"publish failed, the previous publication stays current: {error}", file=sys.stderr)
            publish_code = EXIT_ERROR

    if gate_error or publish_code:
        return EXIT_ERROR
    return EXIT_ALERT if "fail" in statuses else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
