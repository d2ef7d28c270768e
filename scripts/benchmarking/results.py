"""What a run measures, as it is measured (dataclasses), and as it is kept: record_of turns
a run into one JSON object, a line of benchmarks/results.jsonl (report.py renders those)."""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from .settings import GB, NOT_ON_SPARK_DIRECT, TOP_N, display_path, without_machine_paths

RECORD_VERSION = 1


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
    jvm_max_heap: str | None = None  # -Xmx of the JVM the build started (Spark)


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
    duckdb_build: BuildResult | None = None  # --target spark / postgres: DuckDB's build of the same run
    engine_checks: list[RelationCheck] = field(default_factory=list)  # the engine's marts vs DuckDB's
    incremental_models: list[str] = field(default_factory=list)  # materialized 'incremental' on DuckDB
    failures: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def on_spark(self) -> bool:
        return self.args.target == "spark"

    @property
    def on_postgres(self) -> bool:
        return self.args.target == "postgres"

    @property
    def beside_duckdb(self) -> bool:
        """Another engine's build, compared with DuckDB's build of the same run."""
        return self.args.target != "duckdb"

    @property
    def ok(self) -> bool:
        if self.failures or self.build is None or not self.build.ok:
            return False
        if self.beside_duckdb:  # no direct replay nor incremental run there: the marts instead
            return bool(self.engine_checks) and all(check.identical for check in self.engine_checks)
        if not self.args.skip_direct and not (self.direct and self.direct.checks_ok):
            return False
        if not self.args.skip_incremental and not (self.incremental and self.incremental.checks_ok):
            return False
        return True


# --------------------------------------------------------------------------------------
# The record: one JSON object per run
# --------------------------------------------------------------------------------------

def timing_record(timing: NodeTiming) -> dict:
    return {"name": timing.name, "kind": timing.kind, "seconds": round(timing.seconds, 3)}


def build_record(build: BuildResult | None, total_rows: int | None = None) -> dict | None:
    if build is None:
        return None
    rows_per_s = total_rows / build.wall_s if total_rows and build.ok and build.wall_s else None
    return {
        "label": build.label,
        "ok": build.ok,
        "wall_s": round(build.wall_s, 3),
        "peak_rss_bytes": build.peak_rss_bytes,
        "peak_parts": build.peak_parts,
        "rows_per_s": None if rows_per_s is None else round(rows_per_s, 1),
        "seconds_by_kind": {kind: round(s, 3) for kind, s in build.seconds_by_kind.items()},
        "status_counts": build.status_counts,
        "slowest": [timing_record(t) for t in build.slowest],
        "error": without_machine_paths(build.error),
        "jvm_max_heap": build.jvm_max_heap,
    }


def headline_record(headline: Headline | None) -> dict | None:
    if headline is None:
        return None
    return {"columns": headline.columns,
            "rows": [[value if isinstance(value, (int, float, str, bool, type(None))) else str(value)
                      for value in row] for row in headline.rows],
            "absent_customers": headline.absent_customers, "orders": headline.orders,
            "orders_column": headline.orders_column}


def check_record(check: RelationCheck) -> dict:
    return {"name": check.name, "rows_left": check.rows_left, "rows_right": check.rows_right,
            "only_left": check.only_left, "only_right": check.only_right,
            "note": without_machine_paths(check.note), "order_differs": check.order_differs,
            "left_label": check.left_label, "right_label": check.right_label}


def dataset_record(dataset: Dataset | None) -> dict | None:
    if dataset is None:
        return None
    generation = dataset.generation if dataset.generated else None
    return {"path": display_path(dataset.path), "total_rows": dataset.total_rows, "rows": dataset.rows,
            "gap_as_of": dataset.gap_as_of,
            "generated_s": round(generation.wall_s, 1) if generation else None,
            "generated_peak_rss_bytes": generation.peak_rss_bytes if generation else None}


def direct_record(result: BenchmarkResult) -> dict:
    direct, build, args = result.direct, result.build, result.args
    if result.on_spark:
        return {"status": "not applicable", "reason": f"on Spark ({NOT_ON_SPARK_DIRECT})"}
    if result.on_postgres:
        return {"status": "not applicable",
                "reason": "on PostgreSQL (the replay runs the compiled DuckDB SQL in DuckDB)"}
    if args.skip_direct:
        return {"status": "skipped", "reason": "--skip-direct"}
    if direct is None or direct.wall_s is None:
        return {"status": "not run"}
    node_seconds = build.node_seconds if build else {}
    slowest = sorted(direct.timings, key=lambda t: t.seconds, reverse=True)[:TOP_N]
    return {
        "status": "measured",
        "wall_s": round(direct.wall_s, 3),
        "models_s": None if direct.models_s is None else round(direct.models_s, 3),
        "seed_copy_s": None if direct.seed_copy_s is None else round(direct.seed_copy_s, 3),
        "peak_rss_bytes": direct.peak_rss_bytes,
        "model_count": direct.model_count,
        "used_compile": direct.used_compile,
        "wall_ratio": round(build.wall_s / direct.wall_s, 2) if build and direct.wall_s else None,
        "model_seconds_ratio": (round(build.seconds_by_kind.get("model", 0.0) / direct.models_s, 2)
                                if build and direct.models_s else None),
        "slowest": [{**timing_record(t), "dbt_seconds": node_seconds.get(t.name)} for t in slowest],
        "checks": [check_record(c) for c in direct.checks],
    }


def incremental_record(result: BenchmarkResult) -> dict:
    inc, args = result.incremental, result.args
    if result.on_spark:
        models = ", ".join(result.incremental_models) or "the stored orders model"
        return {"status": "not applicable",
                "reason": f"on Spark ({models} is a table there, rebuilt by every run)"}
    if result.on_postgres:
        return {"status": "not applicable",
                "reason": "on PostgreSQL (the run compares the full build's marts with DuckDB's instead)"}
    if args.skip_incremental:
        return {"status": "skipped", "reason": "--skip-incremental"}
    if inc is None:
        return {"status": "not run"}
    return {
        "status": "measured",
        "increment": args.increment,
        "dataset": dataset_record(inc.dataset),
        "build": build_record(inc.incremental),
        "headline": headline_record(inc.headline),
        "full_refresh": build_record(inc.full_refresh),
        "checks": [check_record(c) for c in inc.checks],
        "excluded_columns": inc.excluded_columns,
    }


def record_of(result: BenchmarkResult, environment: dict) -> dict:
    """One run as data: what report.py renders and the summary table is built from.
    environment: commit, machine, software and settings (report.environment_of)."""
    args, dataset = result.args, result.dataset
    total_rows = dataset.total_rows if dataset else None
    record = {
        "version": RECORD_VERSION,
        "started_at": result.started_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "scale": args.scale,
        "format": args.format,
        "engine": args.target,
        "ok": result.ok,
        "failures": [without_machine_paths(f) for f in result.failures],
        **environment,
        "dataset": dataset_record(dataset),
        "build": build_record(result.build, total_rows),
        "headline": headline_record(result.headline),
        "direct": direct_record(result),
        "incremental": incremental_record(result),
        "warnings": [without_machine_paths(w) for w in result.warnings],
        "note": args.note,
    }
    if result.beside_duckdb:
        record["duckdb_build"] = build_record(result.duckdb_build, total_rows)
        record["engine_checks"] = [check_record(c) for c in result.engine_checks]
    return record


# --------------------------------------------------------------------------------------
# Text of measured values (progress lines and the report)
# --------------------------------------------------------------------------------------

def format_counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{count} {status}" for status, count in counts.items()) or "none"


def format_parts(parts: dict[str, int]) -> str:
    """`java 1.52 GB, dbt 0.31 GB`: the processes of a tree at its peak, by command name."""
    return ", ".join(f"{name} {size / GB:.2f} GB" for name, size in parts.items()) or "no sample"


def format_gb(value: int | None) -> str:
    return "n/a" if value is None else f"{value / GB:.2f} GB"
