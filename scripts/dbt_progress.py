"""Run a dbt command with one progress line instead of a line per node.

    python scripts/dbt_progress.py build --exclude tag:alert --vars '{...}'

dbt runs as a child process with its console log as JSON events (the log file keeps
dbt's usual text). On a terminal the progress line is rewritten in place
(`dbt build  [187/236]  ok 185  warn 0  failed 0  skipped 0`); elsewhere only the end
is printed. Every warning, failure and error is printed in full as it happens, and
the run ends with dbt's own summary line and the time taken. The exit code is dbt's.
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
    return returncode


def main() -> int:
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    return run(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
