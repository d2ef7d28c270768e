#!/usr/bin/env python3
"""Benchmark the project on a scale dataset: dbt build, the same SQL without dbt, and an
incremental run after new data. Appends the measurements to BENCHMARKS.md. With
``--target spark``, the build on Spark instead, beside DuckDB's build of the same data.

Usage:
    .venv/bin/python scripts/benchmark.py [--scale 1] [--format parquet] [--seed 20260414]
        [--data-dir DIR] [--regenerate] [--target duckdb|spark] [--spark-driver-memory 6g]
        [--threads 2] [--memory-limit 3GB]
        [--skip-direct] [--skip-incremental] [--increment 0.01] [--increment-dir DIR]
        [--work-dir target/benchmark/r<S>] [--no-append] [--output BENCHMARKS.md]
        [--note TEXT]
    .venv/bin/python scripts/benchmark.py --summary-only [--output BENCHMARKS.md]

Steps of one run (each prints what it does and what it measured):

1. Dataset: reuse DIR (default data/scale/r<S>) when its dataset.json matches the scale,
   seed and format, else run ``scripts/generate_demo_data.py --scale S`` (timed).
2. Project copy: <work-dir>/project holds a fresh copy of dbt_project.yml, models/,
   macros/, seeds/, tests/, analyses/ and a profiles.yml made from profiles.yml.example;
   seeds/storefronts.csv is replaced by the dataset's own field map (two Sage entities).
3. Full build: ``dbt build --exclude tag:alert`` into <work-dir>/ecom_sage_gap.duckdb.
   Measured: wall time, peak memory of the whole process tree (sum of VmRSS of dbt and
   all its descendants, sampled every 0.05 s), rows per second (raw input rows / wall),
   the slowest nodes, model and test seconds and node counts by status (from
   target/run_results.json), and the headline of the mart ecom_sage_customer_gap.
4. Direct SQL: the compiled SQL of every model (target/manifest.json) run directly in
   DuckDB in DAG order, without dbt, into <work-dir>/direct/ecom_sage_gap.duckdb with
   the same settings (the seeds are copied from the dbt database; the copy is timed).
   Reported: wall (connect to close), the slowest models, the ratio dbt wall / direct
   wall, and whether the ecom_sage_customer_gap* marts equal the dbt ones (EXCEPT ALL
   both ways).
5. Incremental: the increment dataset (``--increment FRACTION``: the base plus FRACTION
   new orders and customers a week later; default dir <data-dir>-inc<FRACTION>) is built
   by ``dbt build`` on the database of step 3 (the scheduled run; the heavy models are
   incremental), then with ``--full-refresh`` into <work-dir>/increment_full/. The five
   marts of the two databases must be identical (EXCEPT ALL both ways). dbt reads every
   dataset through <work-dir>/source, a symbolic link, so the scheduled run reads the
   same raw_data_path as the build it follows (another path would rebuild the stored
   orders instead of refreshing them).
6. Report: a summary on stdout and, unless --no-append, a section appended to
   BENCHMARKS.md (created with a short header when missing). The summary table at the
   top of BENCHMARKS.md (between <!-- summary:start --> and <!-- summary:end -->) is then
   regenerated from all sections: one row per scale (and engine) from its latest run, a
   step that run skipped taken from the latest run that measured it. ``--summary-only``
   regenerates the table alone, without a run. The report names no absolute path: paths
   inside the repository are relative to it, others are cut to their last two components.

With ``--target spark`` (needs ``make setup-spark`` and Java 17+; default work dir
target/benchmark/r<S>-spark), steps 1 and 2 are the same, then:

3. Full build: ``dbt build --exclude tag:alert --target spark`` (the profile's ``spark``
   output: dbt-spark session mode, Spark local[2]) with the same vars, run in the project
   copy so that Spark's metastore_db/ and spark-warehouse/ stay in the work dir (Spark's
   scratch space and temporary files too: SPARK_LOCAL_DIRS, TMPDIR and the JVM's
   java.io.tmpdir are <work-dir>/spark_tmp). Measured as above; Spark's
   JVM is a child of dbt, so the peak RSS counts it (the section says how much of the peak
   each program held). ``--spark-driver-memory`` (default 6g) sets the JVM's heap through
   ECOM_SAGE_GAP_SPARK_DRIVER_MEMORY (spark.driver.memory in profiles.yml.example); the
   -Xmx of the JVM seen in the process tree is reported. The schema is
   ECOM_SAGE_GAP_SPARK_SCHEMA (default ecom_sage_gap); the marts are in schema marts. The
   headline is read by DuckDB from the mart's Parquet files,
   <project>/spark-warehouse/marts.db/ecom_sage_customer_gap/.
4. Spark marts = DuckDB marts: the DuckDB full build of the same dataset in the same
   project copy (``--target duckdb``, into <work-dir>/ecom_sage_gap.duckdb), measured like
   step 3 right after it (the two engines back to back), then the five marts of both
   engines compared row for row: multisets of rows over the same columns, numbers by
   value (decimal 12.50 = 12.5), timestamps as UTC, text exactly.
   The direct SQL replay and the incremental run do not apply on Spark (the replay runs
   DuckDB SQL; int_ecom_orders is a table there, rebuilt by every run): the section says
   so. The section's heading names the engine (``R0.1 (parquet, spark)``), and Spark runs
   get rows of their own in the summary table.

Exit code: 0 when every step that was not skipped ran and the direct and incremental
equality checks passed (with --target spark: the Spark marts equal DuckDB's); 1 otherwise
(the report still states what was measured and what failed); 130 on Ctrl-C (the dbt
process group is stopped; nothing is appended).

Every dbt call gets ECOM_SAGE_GAP_DUCKDB_PATH, ECOM_SAGE_GAP_THREADS,
ECOM_SAGE_GAP_MEMORY_LIMIT and ECOM_SAGE_GAP_TEMP_DIRECTORY and DBT_PROFILES_DIR (with
--target spark also ECOM_SAGE_GAP_SPARK_DRIVER_MEMORY, SPARK_LOCAL_DIRS, TMPDIR and
SPARK_SUBMIT_OPTS).
Memory figures are in GB = 10^9 bytes. The sum of VmRSS counts pages shared between
processes once per process, so it is an upper bound of the tree's resident memory; a
child that still has its parent's address space (the JVM's vforked children, until
their exec) is counted once, with its parent.
Standard library + duckdb only; run it with the project's virtual environment.
"""

from __future__ import annotations

import argparse
import heapq
import importlib.metadata
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import traceback
from collections import Counter, deque
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import duckdb

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT / "scripts"))
# The five marts, and when two engines' rows are the same row: one home for every comparison.
from mart_snapshot import MARTS, comparable, row_multiset  # noqa: E402,F401
VENV_BIN = REPO_ROOT / ".venv" / "bin"
GENERATOR = REPO_ROOT / "scripts" / "generate_demo_data.py"
PROFILE_TEMPLATE = REPO_ROOT / "profiles.yml.example"

PROJECT_ITEMS = ("dbt_project.yml", "models", "macros", "seeds", "tests", "analyses")
REQUIRED_PROJECT_ITEMS = ("dbt_project.yml", "models", "macros", "seeds")
PROFILE_ENV_VARS = ("ECOM_SAGE_GAP_DUCKDB_PATH", "ECOM_SAGE_GAP_THREADS",
                    "ECOM_SAGE_GAP_MEMORY_LIMIT", "ECOM_SAGE_GAP_TEMP_DIRECTORY")
DB_FILE_NAME = "ecom_sage_gap.duckdb"
# --target spark: dbt-spark in session mode (an in-process local Spark) builds with the
# project copy as its working directory, so Derby's metastore_db/ and the warehouse
# spark-warehouse/<schema>.db/<table>/ (Parquet files) stay in the work dir.
SPARK_PACKAGES = ("pyspark", "dbt-spark")
SPARK_WAREHOUSE = "spark-warehouse"
SPARK_DRIVER_MEMORY_VAR = "ECOM_SAGE_GAP_SPARK_DRIVER_MEMORY"
SPARK_SCHEMA_VAR = "ECOM_SAGE_GAP_SPARK_SCHEMA"
# Fields of a Spark section: DuckDB's build of the same dataset, measured right after the
# Spark build, and the comparison of the two engines' marts.
DUCKDB_SAME_RUN = "DuckDB full build (same run)"
ENGINE_CHECKS = "Spark marts = DuckDB marts"
NOT_ON_SPARK_DIRECT = ("not applicable on Spark (the replay runs the compiled DuckDB SQL in "
                       "DuckDB; the Spark build is compared with DuckDB's instead)")
NOT_ON_SPARK_INCREMENTAL = ("not applicable on Spark (int_ecom_orders is a table there, "
                            "rebuilt by every run)")
HEADLINE_MART = "ecom_sage_customer_gap"
MART_PREFIX = "ecom_sage_customer_gap"
# Columns that would hold the time of the run rather than data (none of the marts has
# one today); left out of the incremental comparison when present.
RUN_TIMESTAMP_COLUMN = re.compile(
    r"^(built_at|generated_at|run_at|run_started_at|refreshed_at|loaded_at|invocation_id"
    r"|dbt_.*|_dbt_.*)$")
# Headline columns shown when the mart has them, in this order.
HEADLINE_COLUMNS = ("entity_id", "window_days", "absent_customers", "absent_b2b_customers",
                    "absent_dtc_customers", "orders_attached", "orders_in_window",
                    "order_value_attached", "suspected_duplicates", "awaiting_sync",
                    "is_alert", "is_b2b_alert", "as_of")
ORDER_COLUMNS = ("orders_attached", "orders_in_window")

SAMPLE_INTERVAL_S = 0.05
PROGRESS_EVERY_S = 10.0
TOP_N = 10
GB = 1e9


class StepFailed(Exception):
    """A step could not complete; the message says why and where to look."""


# --------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------

@dataclass
class NodeTiming:
    name: str
    kind: str
    seconds: float


@dataclass
class ProcessRun:
    """One measured subprocess."""
    returncode: int
    wall_s: float
    peak_rss_bytes: int
    log_path: Path
    tail: list[str]
    peak_parts: dict[str, int] = field(default_factory=dict)  # command name -> RSS at the peak
    commands: dict[int, list[str]] = field(default_factory=dict)  # pid -> argv, every process seen


@dataclass
class BuildResult:
    """One dbt build: process measurements plus what run_results.json says."""
    label: str
    ok: bool
    wall_s: float
    peak_rss_bytes: int
    log_path: Path
    seconds_by_kind: dict[str, float] = field(default_factory=dict)
    status_counts: dict[str, int] = field(default_factory=dict)
    node_seconds: dict[str, float] = field(default_factory=dict)  # model name -> seconds
    slowest: list[NodeTiming] = field(default_factory=list)
    failed_nodes: list[str] = field(default_factory=list)
    error: str = ""
    peak_parts: dict[str, int] = field(default_factory=dict)  # command name -> RSS at the peak
    jvm_max_heap: str | None = None  # -Xmx of the JVM the build started (Spark), as seen in /proc


@dataclass
class Headline:
    columns: list[str]
    rows: list[tuple]
    absent_customers: int | None
    orders: int | None
    orders_column: str | None


@dataclass
class RelationCheck:
    """Comparison of one relation in two databases."""
    name: str
    rows_left: int | None
    rows_right: int | None
    only_left: int | None = None
    only_right: int | None = None
    note: str = ""
    order_differs: bool = False  # same columns in another order (not a difference)
    left_label: str = "left"
    right_label: str = "right"

    @property
    def identical(self) -> bool:
        return (not self.note and self.rows_left == self.rows_right
                and self.only_left == 0 and self.only_right == 0)

    def describe(self) -> str:
        if self.identical:
            order = ", columns in another order" if self.order_differs else ""
            return f"identical ({self.rows_left:,} rows{order})"
        if self.note:
            return f"DIFFERENT: {self.note}"
        return (f"DIFFERENT: {self.rows_left:,} vs {self.rows_right:,} rows, "
                f"{self.only_left:,} rows only {self.left_label}, "
                f"{self.only_right:,} rows only {self.right_label}")


@dataclass
class DirectResult:
    wall_s: float | None = None
    seed_copy_s: float | None = None
    models_s: float | None = None
    peak_rss_bytes: int | None = None
    model_count: int = 0
    used_compile: bool = False
    timings: list[NodeTiming] = field(default_factory=list)
    checks: list[RelationCheck] = field(default_factory=list)

    @property
    def checks_ok(self) -> bool:
        return bool(self.checks) and all(check.identical for check in self.checks)


@dataclass
class Dataset:
    path: Path
    meta: dict
    generated: bool = False
    generation: ProcessRun | None = None

    @property
    def rows(self) -> dict[str, int]:
        return self.meta.get("rows", {})

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())

    @property
    def gap_as_of(self) -> str:
        return self.meta["gap_as_of"]


@dataclass
class IncrementalResult:
    dataset: Dataset | None = None
    incremental: BuildResult | None = None
    full_refresh: BuildResult | None = None
    headline: Headline | None = None
    checks: list[RelationCheck] = field(default_factory=list)
    excluded_columns: list[str] = field(default_factory=list)

    @property
    def checks_ok(self) -> bool:
        return bool(self.checks) and all(check.identical for check in self.checks)


@dataclass
class BenchmarkResult:
    started_at: datetime
    args: argparse.Namespace
    work_dir: Path
    dataset: Dataset | None = None
    build: BuildResult | None = None
    headline: Headline | None = None
    direct: DirectResult | None = None
    incremental: IncrementalResult | None = None
    duckdb_build: BuildResult | None = None  # --target spark: DuckDB's build of the same run
    engine_checks: list[RelationCheck] = field(default_factory=list)  # Spark marts vs DuckDB's
    failures: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def on_spark(self) -> bool:
        return self.args.target == "spark"

    @property
    def ok(self) -> bool:
        if self.failures or self.build is None or not self.build.ok:
            return False
        if self.on_spark:  # no direct replay nor incremental run on Spark: the marts instead
            return bool(self.engine_checks) and all(check.identical for check in self.engine_checks)
        if not self.args.skip_direct and not (self.direct and self.direct.checks_ok):
            return False
        if not self.args.skip_incremental and not (self.incremental and self.incremental.checks_ok):
            return False
        return True


# --------------------------------------------------------------------------------------
# Process-tree memory and measured subprocesses
# --------------------------------------------------------------------------------------

@dataclass
class ProcessMemory:
    """What /proc says of one process's memory (bytes)."""
    name: str       # Name: the executable's name (`dbt`, `java`)
    rss: int        # VmRSS
    size: int       # VmSize
    peak_size: int  # VmPeak


def process_memory(pid: int) -> ProcessMemory | None:
    """/proc/<pid>/status of one process (None when it is gone; rss 0 for a kernel thread
    or a zombie)."""
    values: dict[str, str] = {}
    try:
        with open(f"/proc/{pid}/status", encoding="utf-8", errors="replace") as status:
            for line in status:
                key, _, value = line.partition(":")
                if key in ("Name", "VmRSS", "VmSize", "VmPeak"):
                    values[key] = value.strip()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None

    def kib(key: str) -> int:
        try:
            return int(values.get(key, "0 kB").split()[0]) * 1024
        except (ValueError, IndexError):
            return 0

    return ProcessMemory(name=values.get("Name", "?"), rss=kib("VmRSS"), size=kib("VmSize"),
                         peak_size=kib("VmPeak"))


def shares_parent_memory(memory: ProcessMemory, parent: ProcessMemory | None) -> bool:
    """A child that still has its parent's address space: the parent's memory, not more.
    The JVM starts its subprocesses (Hadoop's shell commands: chmod...) with posix_spawn,
    i.e. vfork: until the exec, the child's VmRSS is the whole JVM's, and a sample falling
    in that instant counted the JVM twice (seen: a 4.5 GB JVM and a child named after the
    JVM thread that spawned it, with the same 4.5 GB). A fork that has not written to its
    pages yet is the same (copy-on-write shares them). Told by the same virtual size and
    peak as the parent's, byte for byte, and a resident size within 1% (or 16 MB) of it.
    The names are no help: the child carries the name of the spawning thread."""
    return (parent is not None and memory.rss > 0
            and memory.size == parent.size and memory.peak_size == parent.peak_size
            and abs(memory.rss - parent.rss) <= max(parent.rss // 100, 16 << 20))


def command_line(pid: int) -> list[str]:
    """/proc/<pid>/cmdline as a list (empty when it is gone)."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return [part.decode("utf-8", "replace") for part in handle.read().split(b"\0") if part]
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return []


def children_via_task_files(pid: int) -> list[int]:
    children: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except (FileNotFoundError, PermissionError):
        return children
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as handle:
                children.extend(int(child) for child in handle.read().split())
        except (FileNotFoundError, PermissionError, ValueError):
            continue
    return children


def parent_pids() -> dict[int, list[int]]:
    """parent pid -> child pids, from /proc/*/stat (the field after the command name)."""
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8", errors="replace") as handle:
                stat = handle.read()
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
        fields = stat[stat.rfind(")") + 2:].split()
        if len(fields) > 1:
            tree.setdefault(int(fields[1]), []).append(int(entry))
    return tree


class TreeMemorySampler(threading.Thread):
    """Samples the summed VmRSS of a process and all its descendants in the background.

    Descendants come from /proc/<pid>/task/*/children when the kernel provides it, else
    from a scan of the parent pid of every process in /proc. A child that still has its
    parent's address space (vforked before its exec, or freshly forked) is not added: see
    shares_parent_memory. Also kept: the make-up of the peak by command name (dbt, java:
    Spark's JVM is a child of dbt) and the latest command line of every process seen.
    """

    def __init__(self, root_pid: int, interval_s: float = SAMPLE_INTERVAL_S) -> None:
        super().__init__(daemon=True, name=f"rss-sampler-{root_pid}")
        self.root_pid = root_pid
        self.interval_s = interval_s
        self.current_bytes = 0
        self.peak_bytes = 0
        self.peak_parts: dict[str, int] = {}
        self.commands: dict[int, list[str]] = {}
        self._names: dict[int, str] = {}
        self.samples = 0
        self._stop_event = threading.Event()
        self._has_children_files = os.path.exists(f"/proc/{os.getpid()}/task/{os.getpid()}/children")

    def tree(self) -> list[tuple[int, int | None]]:
        """(pid, parent pid) of the root (parent None) and all its descendants."""
        scanned = {} if self._has_children_files else parent_pids()

        def children_of(pid: int) -> list[int]:
            return children_via_task_files(pid) if self._has_children_files else scanned.get(pid, [])

        pairs: list[tuple[int, int | None]] = []
        frontier: list[tuple[int, int | None]] = [(self.root_pid, None)]
        while frontier:
            pid, parent = frontier.pop()
            pairs.append((pid, parent))
            frontier.extend((child, pid) for child in children_of(pid))
        return pairs

    def sample(self) -> None:
        tree = self.tree()
        memory = {pid: process_memory(pid) for pid, _ in tree}
        sizes: dict[int, int] = {}
        for pid, parent in tree:
            found = memory[pid]
            if found is None:
                continue
            counted = not shares_parent_memory(found, memory.get(parent) if parent else None)
            sizes[pid] = found.rss if counted else 0
            # Read the command line again when the name changes: spark-submit is a shell
            # script that execs the JVM in the same process.
            if self._names.get(pid) != found.name:
                self._names[pid] = found.name
                self.commands[pid] = command_line(pid)
        total = sum(sizes.values())
        self.current_bytes = total
        if total > self.peak_bytes:
            self.peak_bytes = total
            parts: Counter[str] = Counter()
            for pid, size in sizes.items():
                if size:
                    parts[self._names[pid]] += size
            self.peak_parts = dict(parts.most_common())
        self.samples += 1

    def run(self) -> None:
        self.sample()
        while not self._stop_event.wait(self.interval_s):
            self.sample()

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


def stop_process_group(proc: subprocess.Popen) -> None:
    """Stop a child started in its own session: SIGINT, then SIGTERM, then SIGKILL."""
    for sig, grace_s in ((signal.SIGINT, 10), (signal.SIGTERM, 5), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=grace_s)
            return
        except subprocess.TimeoutExpired:
            continue


def run_measured(cmd: list[str], *, cwd: Path, env: dict[str, str], log_path: Path,
                 label: str, echo: bool = False) -> ProcessRun:
    """Run cmd in its own process group, write its output to log_path (and echo it when
    asked), print a progress line every ~10 s, and measure wall time and the peak RSS
    of its process tree. Ctrl-C stops the whole group and is re-raised."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    tail: deque[str] = deque(maxlen=40)
    progress = {"line": ""}
    node_line = re.compile(r"\b\d+ of \d+ ")
    with open(log_path, "w", encoding="utf-8") as log:
        log.write(f"$ {' '.join(cmd)}\n# cwd: {cwd}\n")
        log.flush()
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True, errors="replace",
                                bufsize=1, start_new_session=True)
        sampler = TreeMemorySampler(proc.pid)
        sampler.start()

        def pump() -> None:
            assert proc.stdout is not None
            for line in proc.stdout:
                log.write(line)
                log.flush()
                line = line.rstrip("\n")
                tail.append(line)
                if node_line.search(line):
                    progress["line"] = line.strip()
                if echo:
                    print(f"    | {line}", flush=True)

        reader = threading.Thread(target=pump, daemon=True, name=f"log-{label}")
        reader.start()
        next_progress = started + PROGRESS_EVERY_S
        try:
            while True:
                try:
                    returncode = proc.wait(timeout=0.25)
                    break
                except subprocess.TimeoutExpired:
                    pass
                now = time.perf_counter()
                if now >= next_progress:
                    next_progress += PROGRESS_EVERY_S
                    detail = f"  {progress['line'][:110]}" if progress["line"] and not echo else ""
                    print(f"  [{label}] {now - started:7.1f} s elapsed, RSS "
                          f"{sampler.current_bytes / GB:.2f} GB (peak "
                          f"{sampler.peak_bytes / GB:.2f} GB){detail}", flush=True)
        except KeyboardInterrupt:
            print(f"\n  [{label}] interrupted: stopping process group {proc.pid} ...", flush=True)
            stop_process_group(proc)
            sampler.stop()
            raise
        wall_s = time.perf_counter() - started
        sampler.stop()
        reader.join(timeout=10)
    return ProcessRun(returncode=returncode, wall_s=wall_s, peak_rss_bytes=sampler.peak_bytes,
                      log_path=log_path, tail=list(tail), peak_parts=sampler.peak_parts,
                      commands=sampler.commands)


# --------------------------------------------------------------------------------------
# Step 1: dataset
# --------------------------------------------------------------------------------------

def display_path(path: Path) -> str:
    """A path as the report shows it: relative to the repository when inside it, else its
    last two components, so the report carries no machine-specific folders."""
    try:
        return str(Path(path).resolve().relative_to(REPO_ROOT))
    except ValueError:
        return last_components(str(Path(path).resolve()))


def last_components(path: str) -> str:
    """The last two components of an absolute path (`<anywhere>/scale/r1` -> `scale/r1`)."""
    return "/".join(Path(path).parts[1:][-2:])


# An absolute path in free text (a log path in an error message, say): a slash that
# starts a word, followed by at least one name character.
ABSOLUTE_PATH = re.compile(r"(?<![\w.~/-])/(?:[\w.+@-]+/)*[\w.+@-]+/?")


def without_machine_paths(text: str) -> str:
    """text with every absolute path made relative to the repository when inside it, else
    cut to its last two components, so what goes into BENCHMARKS.md names no machine
    folders (error messages quote log and dataset paths)."""
    root = str(REPO_ROOT)
    text = text.replace(root + "/", "").replace(root, ".")
    return ABSOLUTE_PATH.sub(lambda match: last_components(match.group().rstrip("/")), text)


def read_dataset_meta(path: Path) -> dict | None:
    meta_path = path / "dataset.json"
    if not meta_path.exists():
        return None
    try:
        return json.loads(meta_path.read_text(encoding="utf-8"))
    except json.JSONDecodeError:
        return None


def generator_dataset_version() -> int | None:
    """SCALE_DATASET_VERSION of scripts/demo_data/scale_settings.py (read as text, not imported)."""
    try:
        text = (REPO_ROOT / "scripts" / "demo_data" / "scale_settings.py").read_text(encoding="utf-8")
    except OSError:
        return None
    found = re.search(r"^SCALE_DATASET_VERSION\s*=\s*(\d+)", text, re.MULTILINE)
    return int(found.group(1)) if found else None


def dataset_mismatch(meta: dict | None, scale: float, seed: int, fmt: str,
                     increment: float | None) -> str | None:
    """Why the dataset described by meta is not the one asked for (None = it is)."""
    if meta is None:
        return "no readable dataset.json"
    version = generator_dataset_version()
    if version is not None and meta.get("version") != version:
        return f"dataset version {meta.get('version')} != the generator's {version}"

    def same(a, b) -> bool:
        return a is not None and b is not None and abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(b)))

    if not same(meta.get("scale"), scale):
        return f"scale {meta.get('scale')} != {scale:g}"
    if meta.get("seed") != seed:
        return f"seed {meta.get('seed')} != {seed}"
    if meta.get("format") != fmt:
        return f"format {meta.get('format')} != {fmt}"
    found_increment = meta.get("increment")
    if increment is None and found_increment:
        return f"it is an increment dataset (increment {found_increment})"
    if increment is not None and not same(found_increment, increment):
        return f"increment {found_increment} != {increment:g}"
    if not meta.get("rows") or not meta.get("gap_as_of"):
        return "dataset.json has no rows or gap_as_of"
    return None


def generator_env() -> dict[str, str]:
    env = os.environ.copy()
    env["PYTHONUNBUFFERED"] = "1"
    return env


def ensure_dataset(path: Path, args: argparse.Namespace, log_path: Path,
                   increment: float | None = None, force_reason: str | None = None) -> Dataset:
    """Reuse the dataset at path when it matches (and no force_reason is given), else
    generate it (timed)."""
    label = "increment dataset" if increment is not None else "dataset"
    meta = read_dataset_meta(path)
    reason = dataset_mismatch(meta, args.scale, args.seed, args.format, increment)
    if reason is None and force_reason is None:
        print(f"  Reusing {label} {path} ({sum(meta['rows'].values()):,} rows, "
              f"gap_as_of {meta['gap_as_of']})")
        return Dataset(path=path, meta=meta)
    why = reason or force_reason
    python = VENV_BIN / "python" if (VENV_BIN / "python").exists() else Path(sys.executable)
    cmd = [str(python), str(GENERATOR), "--scale", f"{args.scale:g}", "--format", args.format,
           "--seed", str(args.seed), "--out", str(path), "--threads", str(args.threads),
           "--memory-limit", args.memory_limit]
    if increment is not None:
        cmd += ["--increment", f"{increment:g}"]
    print(f"  Generating {label} into {path} ({why}):")
    print(f"    $ {' '.join(cmd)}", flush=True)
    run = run_measured(cmd, cwd=REPO_ROOT, env=generator_env(), log_path=log_path,
                       label="generate", echo=True)
    if run.returncode != 0:
        hint = ""
        if increment is not None and any("--increment" in line for line in run.tail):
            hint = " The generator does not accept --increment (yet?)."
        raise StepFailed(f"the generator exited with {run.returncode} after {run.wall_s:.1f} s."
                         f"{hint} Log: {log_path}")
    meta = read_dataset_meta(path)
    reason = dataset_mismatch(meta, args.scale, args.seed, args.format, increment)
    if reason is not None:
        raise StepFailed(f"the generator ran but {path}/dataset.json does not match: {reason}")
    print(f"  Generated {label} in {run.wall_s:.1f} s (peak RSS {run.peak_rss_bytes / GB:.2f} GB), "
          f"{sum(meta['rows'].values()):,} rows")
    return Dataset(path=path, meta=meta, generated=True, generation=run)


# --------------------------------------------------------------------------------------
# Step 2: project copy
# --------------------------------------------------------------------------------------

def prepare_project(work_dir: Path, dataset: Dataset, warnings: list[str],
                    target: str = "duckdb") -> Path:
    """A fresh copy of the dbt project in <work-dir>/project with the dataset's field map."""
    project = work_dir / "project"
    if project.exists():
        shutil.rmtree(project)
    project.mkdir(parents=True)
    for item in PROJECT_ITEMS:
        source = REPO_ROOT / item
        if source.is_dir():
            shutil.copytree(source, project / item,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        elif source.is_file():
            shutil.copy2(source, project / item)
        elif item in REQUIRED_PROJECT_ITEMS:
            raise StepFailed(f"{source} is missing")
        else:
            warnings.append(f"{item} is missing from the repository; not copied")
    for packages_file in ("packages.yml", "dependencies.yml"):
        if (REPO_ROOT / packages_file).exists():
            warnings.append(f"{packages_file} exists but the benchmark does not run dbt deps")
    if not PROFILE_TEMPLATE.exists():
        raise StepFailed(f"{PROFILE_TEMPLATE} is missing (run `make setup` in {REPO_ROOT})")
    profile = PROFILE_TEMPLATE.read_text(encoding="utf-8")
    (project / "profiles.yml").write_text(profile, encoding="utf-8")
    read_vars = PROFILE_ENV_VARS + ((SPARK_DRIVER_MEMORY_VAR,) if target == "spark" else ())
    ignored = [name for name in read_vars if name not in profile]
    if ignored:
        warnings.append("profiles.yml.example does not read " + ", ".join(ignored)
                        + ": dbt runs with the profile's own values for those settings")
    field_map = dataset.path / "seeds" / "storefronts.csv"
    if not field_map.exists():
        raise StepFailed(f"{field_map} is missing: the dataset has no field map")
    shutil.copy2(field_map, project / "seeds" / "storefronts.csv")
    print(f"  Project copy: {project} (field map from {field_map})")
    return project


# --------------------------------------------------------------------------------------
# Step 3: dbt builds
# --------------------------------------------------------------------------------------

def remove_database(path: Path) -> None:
    for candidate in (path, path.with_name(path.name + ".wal")):
        if candidate.exists():
            candidate.unlink()


def dbt_env(project: Path, database: Path, temp_dir: Path, args: argparse.Namespace,
            target: str = "duckdb") -> dict[str, str]:
    env = os.environ.copy()
    for name in ("DBT_PROJECT_DIR", "DBT_TARGET_PATH", "DBT_LOG_PATH", "DBT_TARGET", "DBT_PROFILE"):
        env.pop(name, None)
    env.update({
        "DBT_PROFILES_DIR": str(project),
        "ECOM_SAGE_GAP_DUCKDB_PATH": str(database),
        "ECOM_SAGE_GAP_THREADS": str(args.threads),
        "ECOM_SAGE_GAP_MEMORY_LIMIT": args.memory_limit,
        "ECOM_SAGE_GAP_TEMP_DIRECTORY": str(temp_dir),
        "DBT_USE_COLORS": "false",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "PYTHONUNBUFFERED": "1",
    })
    if target == "spark":
        # The JVM's heap (profiles.yml.example passes it as spark.driver.memory), and
        # Spark's scratch space (shuffle and spill files, Hive's session folders, the
        # JVM's and Python's temporary files) in the work dir, not /tmp.
        env[SPARK_DRIVER_MEMORY_VAR] = args.spark_driver_memory
        spark_tmp = temp_dir.parent / "spark_tmp"
        spark_tmp.mkdir(parents=True, exist_ok=True)
        env["SPARK_LOCAL_DIRS"] = str(spark_tmp)
        env["TMPDIR"] = str(spark_tmp)
        env["SPARK_SUBMIT_OPTS"] = " ".join(filter(None, [env.get("SPARK_SUBMIT_OPTS"),
                                                          f"-Djava.io.tmpdir={spark_tmp}"]))
    return env


def source_link(work_dir: Path, dataset: Dataset) -> Path:
    """The folder dbt reads: <work-dir>/source, a symbolic link to ``dataset``.

    The incremental run reads the increment through the same path as the full build read
    the base, as a scheduled run reads the same source: the stored orders remember where
    they were read from (raw_data_path), and another folder would rebuild them.
    """
    link = work_dir.resolve() / "source"
    target = dataset.path.resolve()
    if link.is_symlink():
        if link.resolve() == target:
            return link
        link.unlink()
    elif link.exists():
        raise StepFailed(f"{link} exists and is not a symbolic link; remove it")
    link.symlink_to(target, target_is_directory=True)
    return link


def dbt_vars(dataset: Dataset, work_dir: Path) -> str:
    return json.dumps({"raw_data_path": str(source_link(work_dir, dataset)), "gap_as_of": dataset.gap_as_of})


def node_kind_and_name(unique_id: str) -> tuple[str, str]:
    parts = unique_id.split(".")
    return parts[0], ".".join(parts[2:]) if len(parts) > 2 else unique_id


def summarise_run_results(path: Path, build: BuildResult) -> None:
    results = json.loads(path.read_text(encoding="utf-8"))["results"]
    timings, statuses, seconds = [], Counter(), Counter()
    for result in results:
        kind, name = node_kind_and_name(result["unique_id"])
        elapsed = float(result.get("execution_time") or 0.0)
        timings.append(NodeTiming(name=name, kind=kind, seconds=elapsed))
        statuses[result.get("status", "unknown")] += 1
        seconds[kind] += elapsed
        if kind == "model":
            build.node_seconds[name] = elapsed
        if result.get("status") in ("error", "fail", "runtime error"):
            build.failed_nodes.append(f"{kind} {name}: {result.get('status')}")
    build.slowest = sorted(timings, key=lambda timing: timing.seconds, reverse=True)[:TOP_N]
    build.status_counts = dict(statuses.most_common())
    build.seconds_by_kind = dict(seconds)


def jvm_max_heap(commands: dict[int, list[str]]) -> str | None:
    """The -Xmx of the first JVM among the command lines of a process tree (None: no JVM
    seen, or one without -Xmx)."""
    for argv in commands.values():
        if argv and Path(argv[0]).name == "java":
            for argument in argv:
                if argument.startswith("-Xmx"):
                    return argument[len("-Xmx"):]
    return None


def run_dbt_build(label: str, project: Path, work_dir: Path, dataset: Dataset, database: Path,
                  args: argparse.Namespace, log_name: str, full_refresh: bool = False,
                  target: str = "duckdb") -> BuildResult:
    """Run `dbt build --exclude tag:alert --target <target>` in the project copy (Spark's
    metastore and warehouse land there) and measure it (a failed build is returned with
    ok False and its error; see require_ok)."""
    temp_dir = work_dir / "duckdb_tmp"
    temp_dir.mkdir(parents=True, exist_ok=True)
    cmd = [str(VENV_BIN / "dbt"), "build", "--exclude", "tag:alert", "--target", target,
           "--vars", dbt_vars(dataset, work_dir)]
    if full_refresh:
        cmd.append("--full-refresh")
    log_path = work_dir / log_name
    where = f"warehouse {project / SPARK_WAREHOUSE}" if target == "spark" else f"database {database}"
    print(f"  $ {' '.join(cmd)}\n    ({where}, log {log_path})", flush=True)
    run_results = project / "target" / "run_results.json"
    if run_results.exists():
        run_results.unlink()
    run = run_measured(cmd, cwd=project, env=dbt_env(project, database, temp_dir, args, target),
                       log_path=log_path, label=label)
    build = BuildResult(label=label, ok=run.returncode == 0, wall_s=run.wall_s,
                        peak_rss_bytes=run.peak_rss_bytes, log_path=log_path,
                        peak_parts=run.peak_parts, jvm_max_heap=jvm_max_heap(run.commands))
    if run_results.exists():
        summarise_run_results(run_results, build)
        shutil.copy2(run_results, work_dir / f"run_results_{Path(log_name).stem}.json")
    verdict = "succeeded" if build.ok else f"FAILED (exit {run.returncode})"
    print(f"  dbt build {verdict} in {run.wall_s:.1f} s, peak RSS {run.peak_rss_bytes / GB:.2f} GB "
          f"({format_parts(build.peak_parts)}); nodes: {format_counts(build.status_counts)}")
    if target == "spark":
        print("  JVM seen in the process tree: "
              + (f"-Xmx{build.jvm_max_heap}" if build.jvm_max_heap else "none with -Xmx"))
    if not build.ok:
        for line in run.tail[-15:]:
            print(f"    | {line}")
        detail = f" ({'; '.join(build.failed_nodes[:5])})" if build.failed_nodes else ""
        build.error = f"exited with {run.returncode}{detail}; see {log_path}"
    return build


def require_ok(build: BuildResult) -> BuildResult:
    if not build.ok:
        raise StepFailed(f"{build.label} {build.error}")
    return build


def load_manifest(project: Path) -> dict:
    path = project / "target" / "manifest.json"
    if not path.exists():
        raise StepFailed(f"{path} does not exist")
    return json.loads(path.read_text(encoding="utf-8"))


def relations_by_name(manifest: dict) -> dict[str, tuple[str, str]]:
    """model / seed name -> (schema, alias)."""
    return {node["name"]: (node["schema"], node.get("alias") or node["name"])
            for node in manifest["nodes"].values()
            if node["resource_type"] in ("model", "seed")}


def quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def read_headline(database: Path, relation: tuple[str, str]) -> Headline:
    """The card's mart, read after dbt has exited."""
    schema, alias = relation
    con = duckdb.connect(str(database), read_only=True)
    try:
        return headline_of(con, f"{quote(schema)}.{quote(alias)}")
    finally:
        con.close()


def spark_table_dir(project: Path, relation: tuple[str, str]) -> Path:
    """Where Spark (session mode, run in the project copy) keeps a table's Parquet files:
    spark-warehouse/<schema>.db/<table>/ (Spark lower-cases both names)."""
    schema, alias = relation
    return project / SPARK_WAREHOUSE / f"{schema.lower()}.db" / alias.lower()


def spark_table_sql(project: Path, relation: tuple[str, str]) -> str:
    """A DuckDB table expression reading one table of the Spark warehouse (no Spark session
    needed): every Parquet file under its folder, partition folders (col=value) as columns."""
    folder = spark_table_dir(project, relation)
    if not folder.is_dir():
        raise StepFailed(f"{folder} does not exist: the Spark build wrote no table there")
    if not any(folder.rglob("*.parquet")):
        raise StepFailed(f"{folder} holds no Parquet file (another file_format?)")
    pattern = str(folder / "**" / "*.parquet").replace("'", "''")
    return f"read_parquet('{pattern}', hive_partitioning = true)"


def read_spark_headline(project: Path, relation: tuple[str, str]) -> Headline:
    """The card's mart, read from the Parquet files of Spark's warehouse by DuckDB."""
    con = duckdb.connect(":memory:")
    try:
        con.execute("set TimeZone = 'UTC'")
        return headline_of(con, spark_table_sql(project, relation))
    finally:
        con.close()


def headline_of(con: duckdb.DuckDBPyConnection, table: str) -> Headline:
    """The headline columns, rows and totals of the mart `table` (a relation name or a
    table expression) in an open connection."""
    described = [row[0] for row in con.execute(f"describe select * from {table}").fetchall()]
    columns = [name for name in HEADLINE_COLUMNS if name in described] or described
    order = " order by entity_id" if "entity_id" in described else ""
    rows = con.execute(f"select {', '.join(quote(c) for c in columns)} from {table}{order}").fetchall()
    absent = orders = None
    orders_column = next((name for name in ORDER_COLUMNS if name in described), None)
    if "absent_customers" in described:
        absent = con.execute(f"select coalesce(sum(absent_customers), 0) from {table}").fetchone()[0]
    if orders_column:
        orders = con.execute(f"select coalesce(sum({quote(orders_column)}), 0) from {table}").fetchone()[0]
    return Headline(columns=columns, rows=rows, absent_customers=absent, orders=orders,
                    orders_column=orders_column)


def print_headline(headline: Headline) -> None:
    print("  " + " | ".join(headline.columns))
    for row in headline.rows:
        print("  " + " | ".join(str(value) for value in row))
    print(f"  Total absent customers: {headline.absent_customers}, "
          f"orders ({headline.orders_column}): {headline.orders}")


# --------------------------------------------------------------------------------------
# Step 4: direct SQL
# --------------------------------------------------------------------------------------

def model_nodes(manifest: dict) -> dict[str, dict]:
    return {uid: node for uid, node in manifest["nodes"].items()
            if node["resource_type"] == "model" and node.get("config", {}).get("enabled", True)}


def topological_order(models: dict[str, dict]) -> list[str]:
    """Kahn's algorithm over depends_on.nodes (models only); ties broken by unique_id."""
    dependencies = {uid: {dep for dep in node.get("depends_on", {}).get("nodes", []) if dep in models}
                    for uid, node in models.items()}
    dependents: dict[str, list[str]] = {uid: [] for uid in models}
    for uid, deps in dependencies.items():
        for dep in deps:
            dependents[dep].append(uid)
    remaining = {uid: len(deps) for uid, deps in dependencies.items()}
    ready = [uid for uid, count in remaining.items() if count == 0]
    heapq.heapify(ready)
    order = []
    while ready:
        uid = heapq.heappop(ready)
        order.append(uid)
        for dependent in dependents[uid]:
            remaining[dependent] -= 1
            if remaining[dependent] == 0:
                heapq.heappush(ready, dependent)
    if len(order) != len(models):
        raise StepFailed("the model graph has a cycle: " + ", ".join(sorted(set(models) - set(order))))
    return order


def manifest_with_compiled_code(project: Path, work_dir: Path, dataset: Dataset,
                                args: argparse.Namespace, result: DirectResult) -> dict:
    """The build's manifest when every model has compiled_code, else one from dbt compile
    (--full-refresh, so incremental models compile as their first build)."""
    manifest = load_manifest(project)
    models = model_nodes(manifest)
    missing = sorted(node["name"] for node in models.values()
                     if node.get("config", {}).get("materialized") != "ephemeral"
                     and not node.get("compiled_code"))
    if not missing:
        print(f"  The build's manifest has compiled_code for all {len(models)} models")
        return manifest
    print(f"  {len(missing)} models have no compiled_code in the build's manifest "
          f"({', '.join(missing[:5])}...); running dbt compile")
    database = work_dir / DB_FILE_NAME
    cmd = [str(VENV_BIN / "dbt"), "compile", "--full-refresh", "--vars", dbt_vars(dataset, work_dir)]
    log_path = work_dir / "dbt_compile.log"
    run = run_measured(cmd, cwd=project, env=dbt_env(project, database, work_dir / "duckdb_tmp", args),
                       log_path=log_path, label="dbt compile")
    if run.returncode != 0:
        raise StepFailed(f"dbt compile exited with {run.returncode}; see {log_path}")
    result.used_compile = True
    manifest = load_manifest(project)
    still_missing = [node["name"] for node in model_nodes(manifest).values()
                     if node.get("config", {}).get("materialized") != "ephemeral"
                     and not node.get("compiled_code")]
    if still_missing:
        raise StepFailed("no compiled_code even after dbt compile for: " + ", ".join(still_missing))
    return manifest


def read_peak_rss_of_self() -> int | None:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def reset_peak_rss_of_self() -> bool:
    """Reset VmHWM (Linux: write 5 to /proc/self/clear_refs)."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as handle:
            handle.write("5")
        return True
    except OSError:
        return False


def profile_fixed_settings() -> dict[str, str]:
    """The DuckDB settings the profile sets to fixed values (not from environment
    variables), so the direct replay runs with the same engine settings as dbt."""
    import yaml  # installed with dbt-core

    profile = yaml.safe_load(PROFILE_TEMPLATE.read_text(encoding="utf-8"))
    fixed: dict[str, str] = {}
    for outputs in (target.get("outputs", {}) for target in profile.values()):
        for output in outputs.values():
            options = {**(output.get("config_options") or {}), **(output.get("settings") or {})}
            for key, value in options.items():
                if "{{" not in str(value):
                    fixed[key] = str(value).lower() if isinstance(value, bool) else str(value)
    return fixed


def spark_output() -> dict:
    """The `spark` output of profiles.yml.example ({} when there is none)."""
    import yaml  # installed with dbt-core

    profile = yaml.safe_load(PROFILE_TEMPLATE.read_text(encoding="utf-8"))
    for target in profile.values():
        output = (target.get("outputs") or {}).get("spark")
        if output:
            return output
    return {}


def apply_settings(con: duckdb.DuckDBPyConnection, settings: dict[str, str]) -> None:
    for key, value in settings.items():
        con.execute(f"set {key} = '{value.replace(chr(39), chr(39) * 2)}'")


def direct_replay(manifest: dict, dbt_database: Path, work_dir: Path, args: argparse.Namespace,
                  result: DirectResult) -> Path:
    """Run every model's compiled SQL in DuckDB in DAG order; fills result, returns the db path."""
    direct_dir = work_dir / "direct"
    direct_dir.mkdir(parents=True, exist_ok=True)
    database = direct_dir / dbt_database.name
    remove_database(database)
    temp_dir = direct_dir / "duckdb_tmp"
    temp_dir.mkdir(exist_ok=True)
    models = model_nodes(manifest)
    order = topological_order(models)
    seeds = [node for node in manifest["nodes"].values() if node["resource_type"] == "seed"]
    catalog = database.stem
    catalogs = {node["database"] for node in list(models.values()) + seeds}
    if catalogs != {catalog}:
        raise StepFailed(f"the manifest's databases {sorted(catalogs)} are not {catalog!r}")
    settings = {**profile_fixed_settings(),
                "threads": str(args.threads), "memory_limit": args.memory_limit,
                "temp_directory": str(temp_dir), "TimeZone": "UTC"}
    tracked_memory = reset_peak_rss_of_self()
    print(f"  Replaying {len(order)} models into {database} "
          f"(settings: {', '.join(f'{k}={v}' for k, v in settings.items())})", flush=True)
    started = time.perf_counter()
    con = duckdb.connect(str(database))
    try:
        apply_settings(con, settings)
        con.execute(f"attach '{dbt_database}' as dbt_built (read_only)")
        for schema in sorted({node["schema"] for node in list(models.values()) + seeds}):
            con.execute(f"create schema if not exists {quote(catalog)}.{quote(schema)}")
        t0 = time.perf_counter()
        for seed in seeds:
            schema, alias = seed["schema"], seed.get("alias") or seed["name"]
            con.execute(f"create or replace table {quote(catalog)}.{quote(schema)}.{quote(alias)} as "
                        f"select * from dbt_built.{quote(schema)}.{quote(alias)}")
        result.seed_copy_s = time.perf_counter() - t0
        models_started = time.perf_counter()
        for uid in order:
            node = models[uid]
            materialized = node.get("config", {}).get("materialized", "view")
            if materialized == "ephemeral":
                continue  # inlined as a CTE into the compiled code of its dependents
            kind = "view" if materialized == "view" else "table"
            relation = ".".join(quote(part) for part in
                                (node["database"], node["schema"], node.get("alias") or node["name"]))
            sql = node["compiled_code"].strip().rstrip(";")
            t0 = time.perf_counter()
            try:
                con.execute(f"create or replace {kind} {relation} as (\n{sql}\n)")
            except duckdb.Error as error:
                raise StepFailed(f"model {node['name']} failed in the direct replay: {error}") from error
            result.timings.append(NodeTiming(name=node["name"], kind=materialized,
                                             seconds=time.perf_counter() - t0))
        result.models_s = time.perf_counter() - models_started
        result.model_count = len(result.timings)
    finally:
        con.close()
        result.wall_s = time.perf_counter() - started
        if tracked_memory:
            result.peak_rss_bytes = read_peak_rss_of_self()
    return database


def relation_columns(con: duckdb.DuckDBPyConnection, relation: str) -> list[str]:
    return [row[0] for row in con.execute(f"describe {relation}").fetchall()]


def compare_relation(con: duckdb.DuckDBPyConnection, name: str, left: str, right: str,
                     excluded: set[str] | None = None) -> RelationCheck:
    """Row counts and EXCEPT ALL both ways of two relations in one connection."""
    excluded = excluded or set()
    try:
        left_columns = [c for c in relation_columns(con, left) if c not in excluded]
        right_columns = [c for c in relation_columns(con, right) if c not in excluded]
    except duckdb.Error as error:
        return RelationCheck(name=name, rows_left=None, rows_right=None, note=f"cannot read: {error}")
    rows_left = con.execute(f"select count(*) from {left}").fetchone()[0]
    rows_right = con.execute(f"select count(*) from {right}").fetchone()[0]
    if sorted(left_columns) != sorted(right_columns):
        only_left = sorted(set(left_columns) - set(right_columns))
        only_right = sorted(set(right_columns) - set(left_columns))
        return RelationCheck(name=name, rows_left=rows_left, rows_right=rows_right,
                             note=f"columns differ: only left {only_left}, only right {only_right}")
    # Columns are matched by name: a model with an enforced contract gets the column
    # order of its YAML from dbt, and the order of its SELECT when run directly.
    columns = ", ".join(quote(c) for c in right_columns)
    only_left = con.execute(f"select count(*) from (select {columns} from {left} "
                            f"except all select {columns} from {right})").fetchone()[0]
    only_right = con.execute(f"select count(*) from (select {columns} from {right} "
                             f"except all select {columns} from {left})").fetchone()[0]
    return RelationCheck(name=name, rows_left=rows_left, rows_right=rows_right,
                         only_left=only_left, only_right=only_right,
                         order_differs=left_columns != right_columns)


def check_direct_marts(manifest: dict, direct_db: Path, dbt_database: Path) -> list[RelationCheck]:
    """The ecom_sage_customer_gap* marts of the direct replay against dbt's."""
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"attach '{direct_db}' as direct_sql (read_only)")
        con.execute(f"attach '{dbt_database}' as dbt_built (read_only)")
        checks = []
        for name, (schema, alias) in sorted(relations_by_name(manifest).items()):
            if name not in MARTS:  # the history accumulates runs: not one build's output
                continue
            relation = f"{quote(schema)}.{quote(alias)}"
            checks.append(compare_relation(con, name, f"direct_sql.{relation}", f"dbt_built.{relation}"))
    finally:
        con.close()
    return checks


def run_direct_step(project: Path, work_dir: Path, dataset: Dataset, args: argparse.Namespace,
                    result: BenchmarkResult) -> None:
    direct = result.direct = DirectResult()
    dbt_database = work_dir / DB_FILE_NAME
    manifest = manifest_with_compiled_code(project, work_dir, dataset, args, direct)
    direct_db = direct_replay(manifest, dbt_database, work_dir, args, direct)
    print(f"  Direct SQL: {direct.wall_s:.1f} s wall ({direct.model_count} models in "
          f"{direct.models_s:.1f} s, seeds copied in {direct.seed_copy_s:.2f} s)"
          + (f", peak RSS {direct.peak_rss_bytes / GB:.2f} GB (this process)"
             if direct.peak_rss_bytes else ""))
    print("  Slowest models without dbt:")
    for timing in sorted(direct.timings, key=lambda t: t.seconds, reverse=True)[:TOP_N]:
        dbt_s = result.build.node_seconds.get(timing.name)
        print(f"    {timing.seconds:8.2f} s  {timing.name} ({timing.kind})"
              + (f"   dbt: {dbt_s:.2f} s" if dbt_s is not None else ""))
    print(f"  Ratio dbt build wall / direct SQL wall: {result.build.wall_s / direct.wall_s:.2f}")
    direct.checks = check_direct_marts(manifest, direct_db, dbt_database)
    for check in direct.checks:
        print(f"  {check.name}: {'match' if check.identical else 'MISMATCH'} ({check.describe()})")
    if not direct.checks:
        raise StepFailed(f"no {MART_PREFIX}* model found to compare")
    if not direct.checks_ok:
        raise StepFailed("the direct replay's marts differ from dbt's")


# --------------------------------------------------------------------------------------
# Step 5: incremental
# --------------------------------------------------------------------------------------

def compare_marts(incremental_db: Path, full_db: Path, manifest: dict,
                  result: IncrementalResult) -> None:
    relations = relations_by_name(manifest)
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"attach '{incremental_db}' as incremental_run (read_only)")
        con.execute(f"attach '{full_db}' as full_refresh (read_only)")
        excluded: set[str] = set()
        for mart in MARTS:
            if mart not in relations:
                result.checks.append(RelationCheck(name=mart, rows_left=None, rows_right=None,
                                                   note="not in the manifest"))
                continue
            schema, alias = relations[mart]
            relation = f"{quote(schema)}.{quote(alias)}"
            try:
                columns = relation_columns(con, f"incremental_run.{relation}")
            except duckdb.Error:
                columns = []
            mart_excluded = {c for c in columns if RUN_TIMESTAMP_COLUMN.match(c)}
            excluded |= {f"{mart}.{c}" for c in mart_excluded}
            result.checks.append(compare_relation(con, mart, f"incremental_run.{relation}",
                                                  f"full_refresh.{relation}", mart_excluded))
        result.excluded_columns = sorted(excluded)
    finally:
        con.close()


def run_incremental_step(project: Path, work_dir: Path, base: Dataset, args: argparse.Namespace,
                         result: BenchmarkResult) -> None:
    inc = result.incremental = IncrementalResult()
    inc_dir = incremental_dir(args)
    inc.dataset = ensure_dataset(inc_dir, args, work_dir / "generate_increment.log",
                                 increment=args.increment,
                                 force_reason=increment_regeneration_reason(args, base, inc_dir))
    if inc.dataset.gap_as_of == base.gap_as_of:
        result.warnings.append(f"the increment's gap_as_of equals the base's ({base.gap_as_of})")
    field_map = inc.dataset.path / "seeds" / "storefronts.csv"
    project_map = project / "seeds" / "storefronts.csv"
    if field_map.exists() and field_map.read_bytes() != project_map.read_bytes():
        result.warnings.append("the increment's seeds/storefronts.csv differs from the base's; "
                               "the increment runs use the increment's")
        shutil.copy2(field_map, project_map)
    dbt_database = work_dir / DB_FILE_NAME
    print(f"\n  Incremental run on {dbt_database} (gap_as_of {inc.dataset.gap_as_of})")
    inc.incremental = run_dbt_build("incremental build", project, work_dir, inc.dataset,
                                    dbt_database, args, "dbt_incremental.log")
    require_ok(inc.incremental)
    manifest = load_manifest(project)
    inc.headline = read_headline(dbt_database, relations_by_name(manifest)[HEADLINE_MART])
    print_headline(inc.headline)
    full_dir = work_dir / "increment_full"
    full_dir.mkdir(parents=True, exist_ok=True)
    full_db = full_dir / DB_FILE_NAME
    remove_database(full_db)
    print(f"\n  Full refresh of the increment into {full_db}")
    inc.full_refresh = run_dbt_build("increment full refresh", project, work_dir, inc.dataset,
                                     full_db, args, "dbt_increment_full.log", full_refresh=True)
    require_ok(inc.full_refresh)
    compare_marts(dbt_database, full_db, manifest, inc)
    for check in inc.checks:
        print(f"  {check.name}: {check.describe()}")
    if inc.excluded_columns:
        print(f"  Left out of the comparison (run timestamps): {', '.join(inc.excluded_columns)}")
    if not inc.checks_ok:
        raise StepFailed("the incremental marts differ from a full refresh of the same data")


def increment_regeneration_reason(args: argparse.Namespace, base: Dataset,
                                  inc_dir: Path) -> str | None:
    """An increment must come from the same generator as its base: regenerate it when
    asked, when the base was generated in this run, or when it is older than the base."""
    if args.regenerate:
        return "--regenerate"
    if base.generated:
        return "the base dataset was generated in this run"
    inc_meta, base_meta = inc_dir / "dataset.json", base.path / "dataset.json"
    if inc_meta.exists() and inc_meta.stat().st_mtime < base_meta.stat().st_mtime:
        return "it is older than the base dataset"
    return None


def incremental_dir(args: argparse.Namespace) -> Path:
    if args.increment_dir:
        return Path(args.increment_dir).resolve()
    data_dir = Path(args.data_dir).resolve()
    return data_dir.with_name(f"{data_dir.name}-inc{args.increment:g}")


# --------------------------------------------------------------------------------------
# Step 4 on Spark: the same build on DuckDB, and its marts against Spark's
# --------------------------------------------------------------------------------------

def fetch_rows(con: duckdb.DuckDBPyConnection, table: str) -> tuple[list[str], list[tuple]]:
    """(lower-cased column names, rows) of a table expression."""
    cursor = con.execute(f"select * from {table}")
    return [column[0].lower() for column in cursor.description], cursor.fetchall()


def compare_engine_mart(con: duckdb.DuckDBPyConnection, name: str, spark_table: str,
                        duckdb_table: str) -> RelationCheck:
    """One mart of Spark's warehouse against DuckDB's, as multisets of rows over the same
    columns (matched by name)."""
    labels = {"left_label": "Spark", "right_label": "DuckDB"}
    try:
        spark_columns, spark_rows = fetch_rows(con, spark_table)
        duckdb_columns, duckdb_rows = fetch_rows(con, duckdb_table)
    except duckdb.Error as error:
        return RelationCheck(name=name, rows_left=None, rows_right=None,
                             note=f"cannot read: {error}", **labels)
    if sorted(spark_columns) != sorted(duckdb_columns):
        only_spark = sorted(set(spark_columns) - set(duckdb_columns))
        only_duckdb = sorted(set(duckdb_columns) - set(spark_columns))
        return RelationCheck(name=name, rows_left=len(spark_rows), rows_right=len(duckdb_rows),
                             note=f"columns differ: only Spark {only_spark}, only DuckDB {only_duckdb}",
                             **labels)

    spark_set = row_multiset(spark_columns, spark_rows, duckdb_columns)
    duckdb_set = row_multiset(duckdb_columns, duckdb_rows, duckdb_columns)
    only_spark, only_duckdb = spark_set - duckdb_set, duckdb_set - spark_set
    for side, extra in (("Spark", only_spark), ("DuckDB", only_duckdb)):
        for row in list(extra.elements())[:3]:
            print(f"    {name}: a row only {side} has: {dict(zip(duckdb_columns, row))}")
    return RelationCheck(name=name, rows_left=len(spark_rows), rows_right=len(duckdb_rows),
                         only_left=sum(only_spark.values()), only_right=sum(only_duckdb.values()),
                         order_differs=spark_columns != duckdb_columns, **labels)


def compare_engines(project: Path, spark_relations: dict[str, tuple[str, str]], duckdb_database: Path,
                    duckdb_relations: dict[str, tuple[str, str]]) -> list[RelationCheck]:
    """The five marts (MARTS) of Spark's warehouse, read from its Parquet files, against
    those of the DuckDB database."""
    con = duckdb.connect(":memory:")
    checks = []
    try:
        con.execute("set TimeZone = 'UTC'")
        con.execute(f"attach '{str(duckdb_database).replace(chr(39), chr(39) * 2)}' as duckdb_built (read_only)")
        for mart in MARTS:
            if mart not in spark_relations or mart not in duckdb_relations:
                checks.append(RelationCheck(name=mart, rows_left=None, rows_right=None,
                                            note="not in the manifest"))
                continue
            try:
                spark_table = spark_table_sql(project, spark_relations[mart])
            except StepFailed as error:
                checks.append(RelationCheck(name=mart, rows_left=None, rows_right=None, note=str(error)))
                continue
            schema, alias = duckdb_relations[mart]
            checks.append(compare_engine_mart(con, mart, spark_table,
                                              f"duckdb_built.{quote(schema)}.{quote(alias)}"))
    finally:
        con.close()
    return checks


def run_engine_parity_step(project: Path, work_dir: Path, dataset: Dataset, args: argparse.Namespace,
                           result: BenchmarkResult, spark_relations: dict[str, tuple[str, str]]) -> None:
    """--target spark: the DuckDB full build of the same dataset in the same project copy
    (its own database file in the work dir), measured like the Spark build, then the five
    marts of the two engines compared."""
    database = work_dir / DB_FILE_NAME
    remove_database(database)
    result.duckdb_build = run_dbt_build("DuckDB full build", project, work_dir, dataset, database,
                                        args, "dbt_build_duckdb.log", target="duckdb")
    require_ok(result.duckdb_build)
    duckdb_relations = relations_by_name(load_manifest(project))
    result.engine_checks = compare_engines(project, spark_relations, database, duckdb_relations)
    for check in result.engine_checks:
        print(f"  {check.name}: {check.describe()}")
    if not all(check.identical for check in result.engine_checks):
        raise StepFailed("the Spark marts differ from DuckDB's")


# --------------------------------------------------------------------------------------
# Step 6: report
# --------------------------------------------------------------------------------------

def git_commit() -> str:
    def git(*arguments: str) -> str:
        return subprocess.run(["git", "-C", str(REPO_ROOT), *arguments], capture_output=True,
                              text=True, check=True).stdout.strip()
    try:
        commit = git("rev-parse", "--short", "HEAD")
        dirty = git("status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout?)"
    return commit + (" + uncommitted changes" if dirty else "")


def total_memory_bytes() -> int | None:
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemTotal:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def package_version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def format_counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{count} {status}" for status, count in counts.items()) or "none"


def format_parts(parts: dict[str, int]) -> str:
    """`java 1.52 GB, dbt 0.31 GB`: the processes of a tree at its peak, by command name."""
    return ", ".join(f"{name} {size / GB:.2f} GB" for name, size in parts.items()) or "no sample"


def format_gb(value: int | None) -> str:
    return "n/a" if value is None else f"{value / GB:.2f} GB"


def format_rows(rows: dict[str, int]) -> list[str]:
    """One line per source: `source: table 1,234 · table 5,678`."""
    by_source: dict[str, list[str]] = {}
    for key, count in rows.items():
        source, _, table = key.partition(".")
        by_source.setdefault(source, []).append(f"{table} {count:,}")
    return [f"{source}: {' · '.join(tables)}" for source, tables in by_source.items()]


def java_version() -> str:
    """The version of the Java pyspark starts (JAVA_HOME's, else the PATH's)."""
    java_home = os.environ.get("JAVA_HOME")
    java = str(Path(java_home) / "bin" / "java") if java_home else (shutil.which("java") or "java")
    try:
        output = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=30).stderr
    except (OSError, subprocess.SubprocessError):
        return "not found"
    found = re.search(r'version "([^"]+)"', output)
    return found[1] if found else "unknown"


def build_summary(build: BuildResult, total_rows: int | None = None) -> str:
    peak = f"peak RSS {format_gb(build.peak_rss_bytes)}"
    if len(build.peak_parts) > 1:  # several programs (dbt and Spark's JVM): say which holds what
        peak += f" ({format_parts(build.peak_parts)})"
    parts = [f"{build.wall_s:.1f} s wall", peak]
    if total_rows and build.ok:
        parts.append(f"{total_rows / build.wall_s:,.0f} rows/s")
    seconds = build.seconds_by_kind
    parts.append(f"models {seconds.get('model', 0.0):.1f} s, tests {seconds.get('test', 0.0):.1f} s, "
                 f"unit tests {seconds.get('unit_test', 0.0):.1f} s, seeds {seconds.get('seed', 0.0):.1f} s")
    parts.append(f"nodes: {format_counts(build.status_counts)}")
    if not build.ok:
        parts.append(f"**FAILED**: {build.error}")
    return "; ".join(parts)


def headline_summary(headline: Headline | None) -> str:
    if headline is None:
        return "not read"
    per_entity = []
    if "entity_id" in headline.columns and "absent_customers" in headline.columns:
        entity, absent = headline.columns.index("entity_id"), headline.columns.index("absent_customers")
        per_entity = [f"{row[entity]} {row[absent]:,}" for row in headline.rows]
    text = f"{headline.absent_customers:,} absent customers" if headline.absent_customers is not None \
        else "absent_customers column not found"
    if per_entity:
        text += f" ({', '.join(per_entity)})"
    if headline.orders is not None:
        text += f", {headline.orders:,} orders ({headline.orders_column})"
    return text


def checks_summary(checks: list[RelationCheck]) -> str:
    if not checks:
        return "not run"
    same = sum(check.identical for check in checks)
    verdict = "all identical" if same == len(checks) else f"**{len(checks) - same} of {len(checks)} differ**"
    return verdict + ": " + "; ".join(f"{check.name} {check.describe()}" for check in checks)


def spark_settings(args: argparse.Namespace, build: BuildResult | None) -> str:
    """The Settings cell of a Spark run: the profile's `spark` output and the DuckDB build's."""
    output = spark_output()
    parameters = output.get("server_side_parameters") or {}
    heap = f" (JVM -Xmx{build.jvm_max_heap})" if build and build.jvm_max_heap else ""
    return (f"Spark master {parameters.get('spark.master', 'unknown')} (dbt-spark "
            f"{output.get('method', '?')} mode), driver memory {args.spark_driver_memory}{heap}, "
            f"spark.sql.shuffle.partitions {parameters.get('spark.sql.shuffle.partitions', 'default')}, "
            f"dbt threads {output.get('threads', '?')}, schema "
            f"{os.environ.get(SPARK_SCHEMA_VAR, 'ecom_sage_gap')}; DuckDB build: threads "
            f"{args.threads}, memory_limit {args.memory_limit}; seed {args.seed}")


def render_section(result: BenchmarkResult) -> str:
    args = result.args
    engine = ", spark" if result.on_spark else ""
    lines = [f"## {result.started_at:%Y-%m-%d %H:%M} UTC, R{args.scale:g} ({args.format}{engine})", ""]
    status = "OK" if result.ok else "**FAILED**: " + " / ".join(result.failures or ["equality check failed"])
    memory = total_memory_bytes()
    software = (f"Python {platform.python_version()}, DuckDB {duckdb.__version__}, "
                f"dbt-core {package_version('dbt-core')}, dbt-duckdb {package_version('dbt-duckdb')}")
    if result.on_spark:
        software += (f", dbt-spark {package_version('dbt-spark')}, pyspark {package_version('pyspark')}, "
                     f"Java {java_version()}")
    rows: list[tuple[str, str]] = [
        ("Result", status),
        ("Git commit", git_commit()),
        ("Machine", f"{os.cpu_count()} CPU cores, {format_gb(memory)} memory, "
                    f"{platform.system()} {platform.machine()}"),
        ("Software", software),
        ("Settings", spark_settings(args, result.build) if result.on_spark else
                     f"threads {args.threads}, memory_limit {args.memory_limit}, seed {args.seed}"),
    ]
    dataset = result.dataset
    if dataset:
        origin = (f"generated in this run in {dataset.generation.wall_s:.1f} s "
                  f"(peak RSS {format_gb(dataset.generation.peak_rss_bytes)})"
                  if dataset.generated and dataset.generation else "reused")
        rows.append(("Dataset", f"`{display_path(dataset.path)}`, {dataset.total_rows:,} rows, "
                                f"gap_as_of {dataset.gap_as_of}, {origin}"))
    build = result.build
    if build:
        rows.append(("Full build", build_summary(build, dataset.total_rows if dataset else None)))
    rows.append(("Headline", headline_summary(result.headline)))
    direct = result.direct
    if result.on_spark:
        if result.duckdb_build:
            rows.append((DUCKDB_SAME_RUN, build_summary(result.duckdb_build,
                                                        dataset.total_rows if dataset else None)))
        rows.append((ENGINE_CHECKS, checks_summary(result.engine_checks)))
        rows.append(("Direct SQL", NOT_ON_SPARK_DIRECT))
    elif args.skip_direct:
        rows.append(("Direct SQL", "skipped (--skip-direct)"))
    elif direct and direct.wall_s is not None:
        text = (f"{direct.wall_s:.1f} s wall ({direct.model_count} models"
                + (f" in {direct.models_s:.1f} s" if direct.models_s is not None else "")
                + (f", seed copy {direct.seed_copy_s:.2f} s" if direct.seed_copy_s is not None else "")
                + (f", peak RSS {format_gb(direct.peak_rss_bytes)}" if direct.peak_rss_bytes else "")
                + ")")
        if build and direct.wall_s:
            text += f"; ratio dbt build wall / direct wall = **{build.wall_s / direct.wall_s:.2f}**"
        if build and direct.models_s:
            text += (f" (dbt model seconds / direct model seconds = "
                     f"{build.seconds_by_kind.get('model', 0.0) / direct.models_s:.2f})")
        if direct.used_compile:
            text += "; compiled SQL from `dbt compile --full-refresh`"
        rows.append(("Direct SQL", text))
        rows.append(("Direct SQL marts", checks_summary(direct.checks)))
    else:
        rows.append(("Direct SQL", "not run"))
    inc = result.incremental
    if result.on_spark:
        rows.append(("Incremental", NOT_ON_SPARK_INCREMENTAL))
    elif args.skip_incremental:
        rows.append(("Incremental", "skipped (--skip-incremental)"))
    elif inc is None:
        rows.append(("Incremental", "not run"))
    else:
        if inc.dataset:
            origin = (f"generated in {inc.dataset.generation.wall_s:.1f} s"
                      if inc.dataset.generated and inc.dataset.generation else "reused")
            rows.append(("Increment dataset", f"`{display_path(inc.dataset.path)}` (increment {args.increment:g}), "
                                              f"{inc.dataset.total_rows:,} rows, gap_as_of "
                                              f"{inc.dataset.gap_as_of}, {origin}"))
        if inc.incremental:
            rows.append(("Incremental build", build_summary(inc.incremental)))
        if inc.headline:
            rows.append(("Incremental headline", headline_summary(inc.headline)))
        if inc.full_refresh:
            rows.append(("Increment full refresh", build_summary(inc.full_refresh)))
        if inc.checks:
            text = checks_summary(inc.checks)
            if inc.excluded_columns:
                text += f" (left out: {', '.join(inc.excluded_columns)})"
            rows.append(("Incremental = full refresh", text))
    if result.warnings:
        rows.append(("Warnings", " / ".join(result.warnings)))
    if args.note:
        rows.append(("Note", args.note))
    lines += ["| | |", "|---|---|"]
    lines += [f"| {key} | {value.replace('|', '/')} |" for key, value in rows]
    if dataset:
        lines += ["", "Rows per table:", ""] + [f"- {line}" for line in format_rows(dataset.rows)]
    if build and build.slowest:
        lines += ["", f"Slowest nodes of the full dbt build{' on Spark' if result.on_spark else ''}:",
                  "", "| node | type | seconds |", "|---|---|---:|"]
        lines += [f"| {t.name} | {t.kind} | {t.seconds:.2f} |" for t in build.slowest]
    if result.duckdb_build and result.duckdb_build.slowest:
        lines += ["", "Slowest nodes of the DuckDB build of the same run:", "",
                  "| node | type | seconds |", "|---|---|---:|"]
        lines += [f"| {t.name} | {t.kind} | {t.seconds:.2f} |" for t in result.duckdb_build.slowest]
    if direct and direct.timings:
        lines += ["", "Slowest models of the direct SQL replay:", "",
                  "| model | materialization | direct s | dbt s |", "|---|---|---:|---:|"]
        for timing in sorted(direct.timings, key=lambda t: t.seconds, reverse=True)[:TOP_N]:
            dbt_s = build.node_seconds.get(timing.name) if build else None
            lines.append(f"| {timing.name} | {timing.kind} | {timing.seconds:.2f} | "
                         f"{'' if dbt_s is None else f'{dbt_s:.2f}'} |")
    if inc and inc.incremental and inc.incremental.slowest:
        lines += ["", "Slowest nodes of the incremental build:", "", "| node | type | seconds |",
                  "|---|---|---:|"]
        lines += [f"| {t.name} | {t.kind} | {t.seconds:.2f} |" for t in inc.incremental.slowest]
    return without_machine_paths("\n".join(lines) + "\n")


REPORT_HEADER = """# Benchmarks

Measurements of the project on the scale datasets of `scripts/generate_demo_data.py
--scale N`, one section per run, appended by `scripts/benchmark.py`. Each section gives
the machine and software, the dataset, the full `dbt build --exclude tag:alert` (wall
time, peak memory of the whole process tree, rows per second, slowest nodes), the same
compiled SQL run directly in DuckDB without dbt (and the ratio of the two), and the
scheduled incremental run after new data compared with a full refresh. GB = 10^9 bytes.

Reproduce a section with:

    make setup
    .venv/bin/python scripts/benchmark.py --scale 1 --threads 2 --memory-limit 3GB

(`--help` lists the options; `--no-append` measures without writing here;
`--target spark`, after `make setup-spark`, measures the build on Spark local[2] beside
DuckDB's build of the same dataset and compares their marts.)
"""


def append_report(output: Path, section: str) -> None:
    """Append section to output (created with REPORT_HEADER when missing or empty) and
    regenerate the summary table from all its sections."""
    output.parent.mkdir(parents=True, exist_ok=True)
    text = output.read_text(encoding="utf-8") if output.exists() else ""
    if not text.strip():
        text = REPORT_HEADER
    output.write_text(with_summary(text + "\n" + section), encoding="utf-8")
    print(f"Appended to {output} and regenerated its summary table")


# --------------------------------------------------------------------------------------
# Summary table: the latest figures per scale, regenerated from the sections
# --------------------------------------------------------------------------------------

SUMMARY_START = "<!-- summary:start -->"
SUMMARY_END = "<!-- summary:end -->"
# `## 2026-12-01 21:21 UTC, R1 (parquet)` (DuckDB) or `## ... UTC, R0.1 (parquet, spark)`.
SECTION_HEADING = re.compile(
    r"^## (?P<date>\d{4}-\d{2}-\d{2} \d{2}:\d{2}) UTC, R(?P<scale>[\d.]+) "
    r"\((?P<format>\w+)(?:, (?P<engine>\w+))?\)[ \t]*$",
    re.MULTILINE)
FIELD_ROW = re.compile(r"^\| (?P<key>[^|]+?) \| (?P<value>.*) \|$")
WALL_SECONDS = re.compile(r"^(?P<seconds>[\d.]+) s wall")


@dataclass
class Section:
    """One run of BENCHMARKS.md: its heading and the rows of its first table."""
    date: str    # "2026-12-01 21:21" (UTC)
    scale: str   # "1", "0.1", "10"
    format: str  # "parquet" or "csv"
    fields: dict[str, str] = field(default_factory=dict)
    engine: str = "duckdb"  # "spark" for `--target spark` runs; headings without one are DuckDB's

    @property
    def commit(self) -> str:
        return self.fields.get("Git commit", "unknown")

    @property
    def scale_cell(self) -> str:
        """`R1 (parquet)`, or `R0.1 (parquet, Spark local[2])` with the master of its Settings."""
        if self.engine == "duckdb":
            return f"R{self.scale} ({self.format})"
        master = re.search(r"Spark master (\S+?),? ", self.fields.get("Settings", "") + " ")
        name = "Spark" if self.engine == "spark" else self.engine
        return f"R{self.scale} ({self.format}, {name}{' ' + master[1] if master else ''})"


def parse_sections(text: str) -> list[Section]:
    """The run sections of a BENCHMARKS.md text, in file order. Only the first table of a
    section is read (the `| Full build | ... |` rows); later tables and notes are not."""
    sections: list[Section] = []
    current: Section | None = None  # the section whose field table is being read
    for line in text.splitlines():
        heading = SECTION_HEADING.match(line)
        if heading:
            current = Section(heading["date"], heading["scale"], heading["format"],
                              engine=(heading["engine"] or "duckdb").lower())
            sections.append(current)
        elif line.startswith("#"):
            current = None
        elif current is not None:
            row = FIELD_ROW.match(line)
            if row:
                current.fields.setdefault(row["key"], row["value"])
            elif current.fields and not line.startswith("|"):
                current = None  # the field table has ended
    return sections


def wall_seconds(value: str | None) -> str | None:
    """`78.3 s wall; ...` -> `78.3` (None when the step was skipped or not run)."""
    match = WALL_SECONDS.match(value or "")
    if not match:
        return None
    return match["seconds"] + (" (**failed**)" if "FAILED" in value else "")


def not_applicable(section: Section, key: str) -> bool:
    """The step of field `key` does not apply to the section's engine (Spark)."""
    return section.fields.get(key, "").startswith("not applicable")


def full_build_cell(section: Section) -> str | None:
    """The build's seconds; for Spark, then DuckDB's build of the same run and whether the
    marts of the two engines differ."""
    cell = wall_seconds(section.fields.get("Full build"))
    if cell is None or section.engine == "duckdb":
        return cell
    duckdb_s = wall_seconds(section.fields.get(DUCKDB_SAME_RUN))
    if duckdb_s:
        cell += f" (DuckDB same run: {duckdb_s})"
    marts = section.fields.get(ENGINE_CHECKS, "")
    if marts and not marts.startswith("all identical"):
        cell += " (**marts differ from DuckDB**)" if "differ" in marts else " (marts not compared)"
    return cell


def peak_rss_cell(section: Section) -> str | None:
    match = re.search(r"peak RSS ([\d.]+) GB", section.fields.get("Full build", ""))
    return match[1] if match else None


def direct_cell(section: Section) -> str | None:
    if not_applicable(section, "Direct SQL"):
        return "n/a"
    cell = wall_seconds(section.fields.get("Direct SQL"))
    marts = section.fields.get("Direct SQL marts", "")
    if cell and marts and not marts.startswith("all identical"):
        cell += " (**marts differ**)"
    return cell


def incremental_cell(section: Section) -> str | None:
    if not_applicable(section, "Incremental"):
        return "n/a"
    return wall_seconds(section.fields.get("Incremental build"))


def incremental_equality_cell(section: Section) -> str | None:
    if not_applicable(section, "Incremental"):
        return "n/a"
    value = section.fields.get("Incremental = full refresh")
    if not value or value == "not run":
        return None
    if value.startswith("all identical"):
        return "yes"
    differ = re.match(r"\*\*(\d+ of \d+) differ\*\*", value)
    return f"**no** ({differ[1]} marts differ)" if differ else value.split(":")[0]


def headline_cell(section: Section) -> str | None:
    value = section.fields.get("Headline", "")
    absent = re.search(r"([\d,]+) absent customers", value)
    orders = re.search(r"([\d,]+) orders \(", value)
    if not absent:
        return None
    return f"{absent[1]} absent customers" + (f", {orders[1]} orders" if orders else "")


# Summary columns after the scale: title, alignment, and the cell of one section (None
# when that section did not measure it, so an older section of the scale is used).
SUMMARY_COLUMNS = (
    ("full dbt build (s)", "---:", full_build_cell),
    ("peak RSS (GB)", "---:", peak_rss_cell),
    ("direct SQL replay (s)", "---:", direct_cell),
    ("incremental build after new data (s)", "---:", incremental_cell),
    ("incremental = full refresh", "---", incremental_equality_cell),
    ("headline", "---", headline_cell),
)


def summary_row(runs: list[Section]) -> list[str]:
    """The cells of one scale from its runs (oldest first): each column from the latest
    run that measured it, naming that run when it is not the latest."""
    latest = runs[-1]
    cells = [latest.scale_cell]
    for _title, _align, cell_of in SUMMARY_COLUMNS:
        for run in reversed(runs):
            cell = cell_of(run)
            if cell is not None:
                if run is not latest:
                    cell += f" (from {run.date}, {run.commit})"
                break
        else:
            cell = "not measured"
        cells.append(cell)
    return cells + [latest.commit, f"{latest.date} UTC"]


def render_summary(sections: list[Section]) -> str:
    """The summary block, markers included."""
    lines = [SUMMARY_START, "## Latest figures per scale", "",
             "Regenerated from the sections below by `scripts/benchmark.py` whenever it appends "
             "one",
             "(`--summary-only` regenerates it alone). One row per scale, from its latest run; "
             "a step that",
             "run skipped shows the latest run that measured it, named in brackets. Seconds are "
             "wall time;",
             "peak RSS is that of the full build. Spark runs (`--target spark`) have rows of their "
             "own; their",
             "full build cell names the DuckDB build of the same run, measured right after it.", ""]
    runs_by_scale: dict[tuple[float, str, str], list[Section]] = {}
    for section in sorted(sections, key=lambda section: section.date):  # stable: file order on ties
        key = (float(section.scale), section.format, "" if section.engine == "duckdb" else section.engine)
        runs_by_scale.setdefault(key, []).append(section)
    if not runs_by_scale:
        lines.append("No runs yet.")
    else:
        titles = ["scale"] + [title for title, _, _ in SUMMARY_COLUMNS] + ["commit", "date"]
        aligns = ["---"] + [align for _, align, _ in SUMMARY_COLUMNS] + ["---", "---"]
        lines += ["| " + " | ".join(titles) + " |", "|" + "|".join(aligns) + "|"]
        for key in sorted(runs_by_scale):
            cells = [cell.replace("|", "/") for cell in summary_row(runs_by_scale[key])]
            lines.append("| " + " | ".join(cells) + " |")
    lines.append(SUMMARY_END)
    return "\n".join(lines)


def with_summary(text: str) -> str:
    """text with its summary block regenerated: replaced between the markers when present,
    else inserted before the first run section (after the introduction)."""
    block = render_summary(parse_sections(text))
    start, end = text.find(SUMMARY_START), text.find(SUMMARY_END)
    if start != -1 and end > start:
        return text[:start] + block + text[end + len(SUMMARY_END):]
    first_section = SECTION_HEADING.search(text)
    if first_section:
        return text[:first_section.start()] + block + "\n\n" + text[first_section.start():]
    return text.rstrip("\n") + "\n\n" + block + "\n"


def regenerate_summary(output: Path) -> int:
    """--summary-only: rewrite the summary table of output from its sections."""
    if not output.exists():
        print(f"{output} does not exist", file=sys.stderr)
        return 1
    text = output.read_text(encoding="utf-8")
    updated = with_summary(text)
    if updated != text:
        output.write_text(updated, encoding="utf-8")
    print(render_summary(parse_sections(updated)))
    print(f"\nSummary table of {output} {'regenerated' if updated != text else 'already up to date'}")
    return 0


# --------------------------------------------------------------------------------------
# Orchestration
# --------------------------------------------------------------------------------------

def run_step(result: BenchmarkResult, title: str, action, *arguments) -> bool:
    """Run one step; a failure is recorded (and printed) instead of ending the run."""
    print(f"\n== {title} ==", flush=True)
    try:
        action(*arguments)
        return True
    except StepFailed as error:
        message = f"{title}: {error}"
    except Exception as error:  # noqa: BLE001 - recorded in the report, the run goes on
        traceback.print_exc()
        message = f"{title}: {type(error).__name__}: {error}"
    print(f"  FAILED: {message}", flush=True)
    result.failures.append(message)
    return False


def run_benchmark(args: argparse.Namespace, result: BenchmarkResult) -> None:
    work_dir = result.work_dir
    work_dir.mkdir(parents=True, exist_ok=True)
    data_dir = Path(args.data_dir).resolve()
    state: dict[str, Path] = {}
    relations: dict[str, dict[str, tuple[str, str]]] = {}

    def dataset_step() -> None:
        result.dataset = ensure_dataset(data_dir, args, work_dir / "generate.log",
                                        force_reason="--regenerate" if args.regenerate else None)

    def project_step() -> None:
        state["project"] = prepare_project(work_dir, result.dataset, result.warnings, args.target)

    def build_step() -> None:
        database = work_dir / DB_FILE_NAME
        remove_database(database)
        if result.on_spark:
            result.build = run_dbt_build("Spark full build", state["project"], work_dir, result.dataset,
                                         database, args, "dbt_build_spark.log", target="spark")
            # The marts' relations on Spark, before the DuckDB build replaces the manifest.
            relations["spark"] = relations_by_name(load_manifest(state["project"]))
            if result.build.jvm_max_heap != args.spark_driver_memory:
                result.warnings.append(
                    f"the JVM ran with -Xmx{result.build.jvm_max_heap} instead of the asked "
                    f"{args.spark_driver_memory}" if result.build.jvm_max_heap else
                    "no JVM with -Xmx was seen in dbt's process tree: is the driver memory applied?")
                print(f"  WARNING: {result.warnings[-1]}")
        else:
            result.build = run_dbt_build("full build", state["project"], work_dir, result.dataset,
                                         database, args, "dbt_build.log")
        require_ok(result.build)
        print(f"  Rows per second: {result.dataset.total_rows / result.build.wall_s:,.0f} "
              f"({result.dataset.total_rows:,} raw rows)")
        print("  Slowest nodes:")
        for timing in result.build.slowest:
            print(f"    {timing.seconds:8.2f} s  {timing.name} ({timing.kind})")

    def headline_step() -> None:
        if result.on_spark:
            relation = relations["spark"][HEADLINE_MART]
            print(f"  Read from {spark_table_dir(state['project'], relation)} (Parquet, by DuckDB)")
            result.headline = read_spark_headline(state["project"], relation)
        else:
            manifest = load_manifest(state["project"])
            result.headline = read_headline(work_dir / DB_FILE_NAME,
                                            relations_by_name(manifest)[HEADLINE_MART])
        print_headline(result.headline)

    if not run_step(result, "1. Dataset", dataset_step):
        return
    if not run_step(result, "2. Project copy", project_step):
        return
    for warning in result.warnings:
        print(f"  WARNING: {warning}")
    if not run_step(result, "3. Full build", build_step):
        return
    run_step(result, "3b. Headline", headline_step)
    if result.on_spark:
        print(f"\n== 4. Direct SQL and 5. Incremental ==\n  Direct SQL: {NOT_ON_SPARK_DIRECT}"
              f"\n  Incremental: {NOT_ON_SPARK_INCREMENTAL}")
        run_step(result, "4. Spark marts = DuckDB marts", run_engine_parity_step, state["project"],
                 work_dir, result.dataset, args, result, relations["spark"])
        return
    if not args.skip_direct:
        run_step(result, "4. Direct SQL", run_direct_step, state["project"], work_dir,
                 result.dataset, args, result)
    if not args.skip_incremental:
        run_step(result, "5. Incremental", run_incremental_step, state["project"], work_dir,
                 result.dataset, args, result)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Benchmark dbt build, the same SQL run directly in DuckDB, and an incremental "
                    "run on a scale dataset (--target spark: the build on Spark, beside DuckDB's "
                    "build of the same data); append the results to BENCHMARKS.md.")
    parser.add_argument("--scale", type=float, default=1.0,
                        help="dataset scale: 1 = R1 (1M customers, 10M orders), 0.1, 10 ... (default 1)")
    parser.add_argument("--format", choices=("parquet", "csv"), default="parquet",
                        help="raw file format (default parquet)")
    parser.add_argument("--seed", type=int, default=20260414, help="dataset seed (default 20260414)")
    parser.add_argument("--data-dir", default=None,
                        help="dataset folder (default data/scale/r<S>)")
    parser.add_argument("--regenerate", action="store_true",
                        help="generate the dataset(s) even when a matching one exists")
    parser.add_argument("--target", choices=("duckdb", "spark"), default="duckdb",
                        help="engine of the full build (default duckdb). spark: the build on Spark "
                             "local[2] (dbt-spark session mode, the profile's `spark` output; needs "
                             "`make setup-spark` and Java 17+), its headline read from the "
                             "warehouse's Parquet files, then the DuckDB build of the same dataset "
                             "(timed too) and the five marts of both engines compared; no direct "
                             "SQL nor incremental step")
    parser.add_argument("--spark-driver-memory", default="6g",
                        help="--target spark: the Spark driver's (JVM) heap, spark.driver.memory "
                             f"through {SPARK_DRIVER_MEMORY_VAR} (default 6g; the profile's "
                             "default, 1g, is too small for R1)")
    parser.add_argument("--threads", type=int, default=2, help="dbt and DuckDB threads (default 2)")
    parser.add_argument("--memory-limit", default="3GB", help="DuckDB memory_limit, e.g. 12GB (default 3GB, the profile default)")
    parser.add_argument("--skip-direct", action="store_true",
                        help="skip the direct SQL replay without dbt")
    parser.add_argument("--skip-incremental", action="store_true",
                        help="skip the incremental run")
    parser.add_argument("--increment", type=float, default=0.01,
                        help="fraction of new orders and customers of the increment dataset (default 0.01)")
    parser.add_argument("--increment-dir", default=None,
                        help="increment dataset folder (default <data-dir>-inc<FRACTION>, "
                             "e.g. data/scale/r1-inc0.01)")
    parser.add_argument("--work-dir", default=None,
                        help="scratch folder: project copy, databases, Spark warehouse, logs "
                             "(default target/benchmark/r<S>, target/benchmark/r<S>-spark with "
                             "--target spark)")
    parser.add_argument("--no-append", action="store_true",
                        help="print the summary only; do not append to --output")
    parser.add_argument("--output", default=str(REPO_ROOT / "BENCHMARKS.md"),
                        help="Markdown file the section is appended to (default BENCHMARKS.md at the repo root)")
    parser.add_argument("--note", default=None, help="free text recorded with the run")
    parser.add_argument("--summary-only", action="store_true",
                        help="run no benchmark: only regenerate the summary table of --output "
                             "(latest figures per scale) from its sections")
    args = parser.parse_args(argv)
    if args.scale <= 0:
        parser.error("--scale must be positive")
    if args.threads < 1:
        parser.error("--threads must be at least 1")
    if not 0 < args.increment:
        parser.error("--increment must be positive")
    if args.data_dir is None:
        args.data_dir = str(REPO_ROOT / "data" / "scale" / f"r{args.scale:g}")
    if not re.fullmatch(r"\d+[kKmMgGtT]", args.spark_driver_memory):
        parser.error("--spark-driver-memory must be a JVM memory size such as 6g or 4096m")
    if args.work_dir is None:
        suffix = "-spark" if args.target == "spark" else ""
        args.work_dir = str(REPO_ROOT / "target" / "benchmark" / f"r{args.scale:g}{suffix}")
    return args


def spark_setup_problem() -> str | None:
    """Why --target spark cannot run here (None: it can): pyspark and dbt-spark must be in
    the virtual environment, Java on the PATH (or JAVA_HOME), and the profile template
    must have a `spark` output."""
    missing = [name for name in SPARK_PACKAGES if package_version(name) == "not installed"]
    if missing:
        return (f"--target spark needs {' and '.join(missing)} in {VENV_BIN.parent}: "
                f"run `make setup-spark` in {REPO_ROOT}")
    java_home = os.environ.get("JAVA_HOME")
    if not shutil.which("java") and not (java_home and (Path(java_home) / "bin" / "java").exists()):
        return "--target spark needs Java 17 or newer (java on the PATH or JAVA_HOME); none found"
    if not PROFILE_TEMPLATE.exists() or not spark_output():
        return f"--target spark needs a `spark` output in {PROFILE_TEMPLATE.name}; none found"
    return None


def interrupt_on_sigterm(signum, frame) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.summary_only:
        return regenerate_summary(Path(args.output))
    signal.signal(signal.SIGTERM, interrupt_on_sigterm)  # stop dbt too when we are killed
    if not (VENV_BIN / "dbt").exists():
        print(f"{VENV_BIN / 'dbt'} not found: run `make setup` in {REPO_ROOT}", file=sys.stderr)
        return 1
    if args.target == "spark":
        problem = spark_setup_problem()
        if problem:
            print(problem, file=sys.stderr)
            return 1
    result = BenchmarkResult(started_at=datetime.now(timezone.utc), args=args,
                             work_dir=Path(args.work_dir).resolve())
    engine = (f"Spark (driver memory {args.spark_driver_memory}) then DuckDB"
              if args.target == "spark" else "DuckDB")
    print(f"Benchmark R{args.scale:g} ({args.format}, seed {args.seed}) on {engine}, threads "
          f"{args.threads}, memory_limit {args.memory_limit}, work dir {result.work_dir}")
    try:
        run_benchmark(args, result)
    except KeyboardInterrupt:
        print("\nInterrupted: the running step was stopped; nothing appended.", file=sys.stderr)
        return 130
    section = render_section(result)
    print("\n== 6. Report ==\n")
    print(section)
    if not args.no_append:
        append_report(Path(args.output), section)
    if not result.ok:
        print("Benchmark FAILED: " + (" / ".join(result.failures) or "an equality check failed"),
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
