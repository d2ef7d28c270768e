"""Run a dbt command with one progress line instead of a line per node.

    python scripts/dbt_progress.py build --exclude tag:alert --vars '{...}'

dbt runs as a child process with its console log as JSON events (the log file keeps
dbt's usual text). On a terminal the progress line is rewritten in place
(`dbt build  [187/236]  ok 185  warn 0  failed 0  skipped 0`); elsewhere only the end
is printed. Every warning, failure and error is printed in full as it happens, and
the run ends with dbt's own summary line and the time taken. A failing or warning test
that keeps its rows (store_failures: the alerts, the Sage sync checks, rejected input)
is then explained by those rows (scripts/failure_rows.py), not only "Got 1 result". The
exit code is dbt's.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

ANSI = re.compile(r"\x1b\[[0-9;]*m")
OK_STATUSES = {"pass", "success", "ok", "no-op", "noop"}
KNOWN_STATUSES = OK_STATUSES | {"warn", "fail", "error", "skipped", "runtime error"}
# Events that close one node, whatever its kind.
RESULT_EVENTS = {"LogModelResult", "LogTestResult", "LogSeedResult", "LogSnapshotResult",
                 "LogNodeNoOpResult", "LogFreshnessResult", "SkippingDetails"}
# Events worth printing in full: what went wrong and why.
DETAIL_EVENTS = {"RunResultError", "RunResultFailure", "RunResultWarning", "RunResultErrorNoMessage",
                 "RunResultWarningMessage", "SQLCompiledPath", "CheckNodeTestFailure",
                 "MainEncounteredError", "MainStackTrace", "GenericExceptionOnRun",
                 "InternalErrorOnRun", "CatchableExceptionOnRun"}


def target_path(args: Sequence[str], cwd: str | os.PathLike[str] | None) -> Path:
    """Where this dbt command writes run_results.json."""
    for i, arg in enumerate(args):
        if arg == "--target-path" and i + 1 < len(args):
            return Path(args[i + 1])
        if arg.startswith("--target-path="):
            return Path(arg.split("=", 1)[1])
    return Path(cwd or os.getcwd()) / "target"


def explain_findings(args: Sequence[str], cwd: str | os.PathLike[str] | None,
                     env: dict[str, str] | None, progress: "Progress") -> None:
    """Print the stored rows of the tests that failed or warned."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import failure_rows  # noqa: PLC0415 - needs duckdb, only after a failure

    database = Path((env or os.environ).get("ECOM_SAGE_GAP_DUCKDB_PATH") or failure_rows.working_database())
    try:
        found = failure_rows.findings(failure_rows.read_results(target_path(args, cwd)), database)
    except Exception as error:  # noqa: BLE001 - an explanation must never hide dbt's verdict
        progress.say(f"  (could not read the failing tests' rows: {error})")
        return
    for finding in found:
        for line in finding.lines():
            progress.say(f"  why {finding.test}: {line}")


def dbt_executable() -> str:
    """dbt next to this Python (the project's .venv), else dbt on PATH."""
    beside = Path(sys.executable).parent / "dbt"
    return str(beside) if beside.exists() else "dbt"


@dataclass
class Progress:
    label: str
    stream: IO[str]
    live: bool
    total: int = 0
    counts: dict[str, int] = field(default_factory=lambda: {"ok": 0, "warn": 0, "failed": 0, "skipped": 0})
    summary: str = ""
    _drawn: bool = False

    def line(self) -> str:
        done = sum(self.counts.values())
        width = len(str(self.total or done))
        return (f"{self.label}  [{done:>{width}}/{self.total or '?'}]  ok {self.counts['ok']}  "
                f"warn {self.counts['warn']}  failed {self.counts['failed']}  "
                f"skipped {self.counts['skipped']}")

    def draw(self) -> None:
        if self.live:
            self.stream.write("\r" + self.line() + "\x1b[K")
            self.stream.flush()
            self._drawn = True

    def say(self, text: str) -> None:
        """Print a full line above the progress line."""
        if self._drawn:
            self.stream.write("\r\x1b[K")
            self._drawn = False
        self.stream.write(text.rstrip() + "\n")
        self.stream.flush()

    def record(self, status: str) -> None:
        status = status.lower()
        if status in OK_STATUSES:
            self.counts["ok"] += 1
        elif status == "warn":
            self.counts["warn"] += 1
        elif status in ("skipped", "skip"):
            self.counts["skipped"] += 1
        else:
            self.counts["failed"] += 1

    def handle(self, event: dict) -> None:
        info, data = event.get("info", {}), event.get("data", {})
        name, message = info.get("name", ""), ANSI.sub("", str(info.get("msg") or ""))
        if name == "LogStartLine" and data.get("total"):
            self.total = int(data["total"])
        if name in RESULT_EVENTS:
            # node_status is the run's verdict for models, seeds and data tests; unit
            # tests leave it "None" and carry theirs in status.
            status = str(data.get("node_info", {}).get("node_status") or "")
            if status.lower() not in KNOWN_STATUSES:
                status = str(data.get("status") or "")
            if name == "SkippingDetails":
                status = "skipped"
            self.record(status)
            if status.lower() not in OK_STATUSES | {"skipped", "skip"}:
                self.say("  " + message.strip())
            self.draw()
        elif name == "StatsLine":
            self.summary = message.strip()
        elif name in DETAIL_EVENTS or info.get("level") == "error":
            if message.strip():
                self.say(message)

    def finish(self, seconds: float, returncode: int) -> None:
        if self._drawn:
            self.stream.write("\r\x1b[K")
        verdict = "ok" if returncode == 0 else f"exit {returncode}"
        self.say(f"{self.line()}  ({seconds:.0f} s, {verdict})")
        if self.summary:
            self.say(f"  {self.summary}")


def run(args: Sequence[str], label: str | None = None, stream: IO[str] | None = None,
        env: dict[str, str] | None = None, cwd: str | os.PathLike[str] | None = None) -> int:
    """Run ``dbt <args>`` quietly; return dbt's exit code."""
    stream = stream or sys.stdout
    command = [dbt_executable(), "--log-format", "json", "--log-format-file", "text", *args]
    progress = Progress(label=label or "dbt " + (args[0] if args else ""), stream=stream,
                        live=stream.isatty())
    started = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               env=env, cwd=cwd, bufsize=1)
    assert process.stdout is not None
    try:
        for raw in process.stdout:
            try:
                event = json.loads(raw)
            except json.JSONDecodeError:
                if raw.strip():
                    progress.say(ANSI.sub("", raw))
                continue
            progress.handle(event)
        returncode = process.wait()
    except KeyboardInterrupt:
        # Ctrl-C reaches dbt too (same process group); let it stop cleanly.
        returncode = process.wait()
        progress.say("interrupted")
    progress.finish(time.monotonic() - started, returncode)
    if progress.counts["failed"] or progress.counts["warn"]:
        explain_findings(args, cwd, env, progress)
    return returncode


def main() -> int:
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    return run(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
