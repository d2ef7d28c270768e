"""BENCHMARKS.md rendered from the run records of benchmarks/results.jsonl, and the
measuring parts of scripts/benchmarking/ that need no dbt run (the records are made up
here)."""

from __future__ import annotations

import argparse
import copy
import json
import sys
from datetime import datetime, timezone
from pathlib import Path


sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from benchmarking import report  # noqa: E402
from benchmarking.cli import parse_args  # noqa: E402
from benchmarking.dbt_runs import incremental_models, jvm_max_heap  # noqa: E402
from benchmarking.memory import TreeMemorySampler  # noqa: E402
from benchmarking.results import (  # noqa: E402
    BenchmarkResult, BuildResult, Dataset, Headline, RelationCheck, record_of,
)
from benchmarking.settings import REPO_ROOT, display_path, without_machine_paths  # noqa: E402
from benchmarking.spark import compare_engine_mart  # noqa: E402
from mart_snapshot import MARTS, comparable  # noqa: E402

GB = 10**9


def check(name: str, rows: int, only_left: int = 0, only_right: int = 0) -> dict:
    return {"name": name, "rows_left": rows, "rows_right": rows, "only_left": only_left,
            "only_right": only_right, "note": "", "order_differs": False,
            "left_label": "left", "right_label": "right"}


def build(wall_s: float, peak_gb: float, ok: bool = True, error: str = "") -> dict:
    return {"label": "full build", "ok": ok, "wall_s": wall_s, "peak_rss_bytes": int(peak_gb * GB),
            "peak_parts": {"dbt": int(peak_gb * GB)}, "rows_per_s": None,
            "seconds_by_kind": {"model": 50.0, "test": 10.0}, "status_counts": {"success": 3},
            "slowest": [{"name": "int_some_model", "kind": "model", "seconds": 17.34}],
            "error": error, "jvm_max_heap": None}


def run(started_at: str, scale: float, commit: str, *, direct_s: float | None = None,
        incremental_s: float | None = None, full_s: float = 74.5, absent: int = 16406) -> dict:
    """A DuckDB run record; direct_s / incremental_s None: that step was skipped."""
    return {
        "version": 1, "started_at": started_at, "scale": scale, "format": "parquet",
        "engine": "duckdb", "ok": True, "failures": [], "commit": commit,
        "machine": {"cpu_cores": 2, "memory_bytes": 25_280_000_000, "system": "Linux", "architecture": "x86_64"},
        "software": {"Python": "3.11.7", "DuckDB": "1.5.6"},
        "settings": {"threads": 2, "memory_limit": "3GB", "seed": 20260414},
        "dataset": {"path": f"data/scale/r{scale:g}", "total_rows": 300, "rows": {"shopify.order": 200, "shopify.customer": 100},
                    "gap_as_of": "2026-04-14T09:00:00Z", "generated_s": None, "generated_peak_rss_bytes": None},
        "build": build(full_s, 3.43),
        "headline": {"columns": ["entity_id", "absent_customers"], "rows": [["IE01", 958], ["UK01", absent - 958]],
                     "absent_customers": absent, "orders": 17569, "orders_column": "orders_attached"},
        "direct": ({"status": "skipped", "reason": "--skip-direct"} if direct_s is None else
                   {"status": "measured", "wall_s": direct_s, "models_s": direct_s - 0.3, "seed_copy_s": 0.01,
                    "peak_rss_bytes": 3 * GB, "model_count": 49, "used_compile": False, "wall_ratio": 1.38,
                    "model_seconds_ratio": 1.5, "slowest": [], "checks": [check("ecom_sage_customer_gap", 2)]}),
        "incremental": ({"status": "skipped", "reason": "--skip-incremental"} if incremental_s is None else
                        {"status": "measured", "increment": 0.01, "dataset": None, "build": build(incremental_s, 3.44),
                         "headline": None, "full_refresh": None, "checks": [check("ecom_sage_customer_gap", 2)],
                         "excluded_columns": []}),
        "warnings": [], "note": None,
    }


R1_FULL = run("2026-11-27T12:09:00Z", 1, "a24ce5b", direct_s=53.8, incremental_s=71.5)
R10_SKIPPED = run("2026-11-28T10:00:00Z", 10, "776ddec", full_s=848.1, absent=162146)
R1_LATEST_SKIPPED = run("2026-12-01T21:21:00Z", 1, "be53769", full_s=78.3)
RECORDS = [R1_FULL, R10_SKIPPED, R1_LATEST_SKIPPED]


def spark_run(started_at: str = "2026-12-02T09:00:00Z") -> dict:
    record = run(started_at, 0.1, "5380352", full_s=366.7, absent=1589)
    record["engine"] = "spark"
    record["settings"]["spark"] = {"master": "local[2]", "method": "session", "driver_memory": "6g",
                                   "jvm_max_heap": "6g", "shuffle_partitions": "2", "dbt_threads": 1,
                                   "schema": "ecom_sage_gap"}
    record["direct"] = {"status": "not applicable", "reason": "on Spark (the replay runs DuckDB SQL)"}
    record["incremental"] = {"status": "not applicable", "reason": "on Spark (int_x is a table there)"}
    record["duckdb_build"] = build(43.9, 0.96)
    record["engine_checks"] = [check(mart, 2) for mart in MARTS]
    return record


def summary_cells(text: str) -> dict[str, dict[str, str]]:
    """scale cell -> {column title: cell} from the summary table of a rendered report."""
    block = text[text.index("## Latest figures per scale"):]
    rows = [line for line in block.splitlines() if line.startswith("| ")]
    rows = rows[:next(i for i, line in enumerate(rows) if line.startswith("| |"))] if "| |" in block else rows
    titles = [cell.strip() for cell in rows[0].strip("|").split("|")]
    table = {}
    for row in rows[1:]:
        cells = dict(zip(titles, (cell.strip() for cell in row.strip("|").split("|"))))
        table[cells["scale"]] = cells
    return table


def test_latest_run_per_scale_with_fallback_for_skipped_steps():
    table = summary_cells(report.render_report(RECORDS))
    assert list(table) == ["R1 (parquet)", "R10 (parquet)"]
    r1 = table["R1 (parquet)"]
    assert r1["full dbt build (s)"] == "78.3"
    assert r1["peak RSS (GB)"] == "3.43"
    assert r1["direct SQL replay (s)"] == "53.8 (from 2026-11-27 12:09, a24ce5b)"
    assert r1["incremental build after new data (s)"] == "71.5 (from 2026-11-27 12:09, a24ce5b)"
    assert r1["incremental = full refresh"] == "yes (from 2026-11-27 12:09, a24ce5b)"
    assert r1["headline"] == "16,406 absent customers, 17,569 orders"
    assert (r1["commit"], r1["date"]) == ("be53769", "2026-12-01 21:21 UTC")
    r10 = table["R10 (parquet)"]
    assert r10["direct SQL replay (s)"] == "not measured"
    assert r10["incremental = full refresh"] == "not measured"
    assert r10["headline"] == "162,146 absent customers, 17,569 orders"


def test_a_new_run_updates_the_table():
    newer_r10 = run("2026-12-02T08:00:00Z", 10, "1234567", full_s=700.0, absent=162146)
    table = summary_cells(report.render_report(RECORDS + [newer_r10]))
    assert table["R10 (parquet)"]["full dbt build (s)"] == "700.0"
    assert table["R10 (parquet)"]["commit"] == "1234567"
    assert table["R1 (parquet)"]["full dbt build (s)"] == "78.3"


def test_failed_equality_and_failed_build_are_shown():
    failed = run("2026-12-03T10:00:00Z", 1, "bad0001", direct_s=50.0, incremental_s=60.0)
    failed["build"] = build(40.0, 3.0, ok=False, error="exited with 1; see target/benchmark/r1/dbt_build.log")
    failed["direct"]["checks"] = [check("ecom_sage_customer_gap", 2, only_left=1, only_right=1)]
    failed["incremental"]["checks"] = [check("ecom_sage_customer_gap", 2, 1, 1), check("ecom_sage_customer_gap_orders", 5)]
    failed["ok"], failed["failures"] = False, ["3. Full build: full build exited with 1"]
    text = report.render_report(RECORDS + [failed])
    r1 = summary_cells(text)["R1 (parquet)"]
    assert r1["full dbt build (s)"] == "40.0 (**failed**)"
    assert r1["direct SQL replay (s)"] == "50.0 (**marts differ**)"
    assert r1["incremental = full refresh"] == "**no** (1 of 2 marts differ)"
    section = report.render_section(failed)
    assert "| Result | **FAILED**: 3. Full build: full build exited with 1 |" in section
    assert "**FAILED**: exited with 1; see target/benchmark/r1/dbt_build.log" in section
    assert "| Incremental = full refresh | **1 of 2 differ**: ecom_sage_customer_gap DIFFERENT: 2 vs 2 rows, " in section


def test_a_section_shows_every_measurement_of_its_record():
    section = report.render_section(R1_FULL)
    assert section.startswith("## 2026-11-27 12:09 UTC, R1 (parquet)\n")
    for expected in (
        "| Machine | 2 CPU cores, 25.28 GB memory, Linux x86_64 |",
        "| Dataset | `data/scale/r1`, 300 rows, gap_as_of 2026-04-14T09:00:00Z, reused |",
        "| Full build | 74.5 s wall; peak RSS 3.43 GB; models 50.0 s, tests 10.0 s, unit tests 0.0 s, seeds 0.0 s; "
        "nodes: 3 success |",
        "| Headline | 16,406 absent customers (IE01 958, UK01 15,448), 17,569 orders (orders_attached) |",
        "| Direct SQL | 53.8 s wall (49 models in 53.5 s, seed copy 0.01 s, peak RSS 3.00 GB); "
        "ratio dbt build wall / direct wall = **1.38** (dbt model seconds / direct model seconds = 1.50) |",
        "| Direct SQL marts | all identical: ecom_sage_customer_gap identical (2 rows) |",
        "| Incremental = full refresh | all identical: ecom_sage_customer_gap identical (2 rows) |",
        "- shopify: order 200 · customer 100",
        "| int_some_model | model | 17.34 |",
    ):
        assert expected in section, expected


def test_the_report_is_rendered_from_the_results_file_with_the_notes_after_it(tmp_path):
    results, notes, output = tmp_path / "results.jsonl", tmp_path / "notes.md", tmp_path / "BENCHMARKS.md"
    for record in RECORDS:
        report.append_record(results, record)
    notes.write_text("### A measurement by hand\n\nText kept as written.\n", encoding="utf-8")
    assert report.read_records(results) == RECORDS
    text = report.write_report(results, notes, output)
    assert output.read_text(encoding="utf-8") == text
    assert report.write_report(results, notes, output) == text, "rendering is repeatable"
    summary, first_run = text.index("## Latest figures per scale"), text.index("## 2026-11-27 12:09 UTC, R1")
    notes_at = text.index("## Notes (written by hand, not generated)")
    assert summary < first_run < text.index("## 2026-12-01 21:21 UTC, R1") < notes_at
    assert text.index("### A measurement by hand") > notes_at
    assert "edit those, not this file" in text
    assert report.render_report([]).count("No runs yet.") == 1


def test_spark_and_duckdb_runs_of_one_scale_get_two_rows():
    duckdb_r01 = run("2026-12-02T08:00:00Z", 0.1, "1111111", direct_s=4.4, incremental_s=15.4, full_s=15.4, absent=1589)
    table = summary_cells(report.render_report([duckdb_r01, spark_run()]))
    assert list(table) == ["R0.1 (parquet)", "R0.1 (parquet, Spark local[2])"]
    spark_row = table["R0.1 (parquet, Spark local[2])"]
    assert spark_row["full dbt build (s)"] == "366.7 (DuckDB same run: 43.9)"
    assert spark_row["direct SQL replay (s)"] == "n/a"
    assert spark_row["incremental = full refresh"] == "n/a"
    assert table["R0.1 (parquet)"]["full dbt build (s)"] == "15.4"


def test_spark_marts_that_differ_show_in_the_summary():
    differing = spark_run()
    differing["engine_checks"][0] = check(MARTS[0], 2, 1, 1)
    spark_row = summary_cells(report.render_report([differing]))["R0.1 (parquet, Spark local[2])"]
    assert spark_row["full dbt build (s)"] == "366.7 (DuckDB same run: 43.9) (**marts differ from DuckDB**)"
    not_compared = copy.deepcopy(differing)
    not_compared["engine_checks"] = []
    spark_row = summary_cells(report.render_report([not_compared]))["R0.1 (parquet, Spark local[2])"]
    assert spark_row["full dbt build (s)"].endswith("(marts not compared)")


def fake_build(label, wall_s, peak_gb, parts=None, jvm=None):
    return BuildResult(label=label, ok=True, wall_s=wall_s, peak_rss_bytes=int(peak_gb * GB),
                       log_path=Path("x.log"), status_counts={"success": 3},
                       peak_parts=parts or {}, jvm_max_heap=jvm)


def test_a_spark_run_is_recorded_and_rendered(monkeypatch):
    """record_of for a Spark run (made-up measurements), through JSON and into the report."""
    monkeypatch.setattr(report, "git_commit", lambda: "abc1234")
    monkeypatch.setattr(report, "java_version", lambda: "17.0.15")
    args = parse_args(["--scale", "0.1", "--target", "spark", "--no-append"])
    assert args.work_dir.endswith("r0.1-spark")
    result = BenchmarkResult(started_at=datetime(2026, 12, 2, 9, 0, tzinfo=timezone.utc),
                             args=args, work_dir=Path(args.work_dir))
    result.dataset = Dataset(path=REPO_ROOT / "data" / "scale" / "r0.1",
                             meta={"rows": {"shopify.order": 800_000, "shopify.customer": 80_000},
                                   "gap_as_of": "2026-04-14T09:00:00Z"})
    result.build = fake_build("Spark full build", 400.0, 2.6, {"java": int(2.4 * GB), "dbt": int(0.2 * GB)}, "6g")
    result.duckdb_build = fake_build("DuckDB full build", 16.0, 0.9)
    result.headline = Headline(columns=["entity_id", "absent_customers"], rows=[("IE01", 94), ("UK01", 1495)],
                               absent_customers=1589, orders=1716, orders_column="orders_attached")
    result.engine_checks = [RelationCheck(name=mart, rows_left=2, rows_right=2, only_left=0, only_right=0)
                            for mart in MARTS]
    result.incremental_models = ["int_stored_orders"]
    assert result.ok
    record = json.loads(json.dumps(record_of(result, report.environment_of(args, "6g"))))
    assert record["build"]["rows_per_s"] == 880_000 / 400.0
    section = report.render_section(record)
    assert section.startswith("## 2026-12-02 09:00 UTC, R0.1 (parquet, spark)\n")
    assert "| Software | " in section and "dbt-spark " in section and "pyspark " in section
    assert "(JVM -Xmx6g)" in section
    assert "peak RSS 2.60 GB (java 2.40 GB, dbt 0.20 GB)" in section
    assert "| Incremental | not applicable on Spark (int_stored_orders is a table there, rebuilt by every run) |" in section
    spark_row = summary_cells(report.render_report([record]))["R0.1 (parquet, Spark local[2])"]
    assert spark_row["full dbt build (s)"] == "400.0 (DuckDB same run: 16.0)"
    assert spark_row["headline"] == "1,589 absent customers, 1,716 orders"
    # A difference fails the run.
    result.engine_checks[0] = RelationCheck(name=MARTS[0], rows_left=2, rows_right=2, only_left=1, only_right=1)
    assert not result.ok


def test_no_absolute_paths(tmp_path):
    assert display_path(REPO_ROOT / "data" / "scale" / "r1") == "data/scale/r1"
    outside = tmp_path / "elsewhere"
    assert display_path(outside / "data" / "scale" / "r1") == "scale/r1"
    message = (f"full build exited with 2; see {REPO_ROOT}/target/benchmark/r1/dbt_build.log / "
               f"the generator ran but {outside}/scale/r1/dataset.json does not match")
    assert without_machine_paths(message) == (
        "full build exited with 2; see target/benchmark/r1/dbt_build.log / "
        "the generator ran but r1/dataset.json does not match")
    args = argparse.Namespace(scale=1.0, format="parquet", target="duckdb", skip_direct=True,
                              skip_incremental=True, increment=0.01, note=None)
    result = BenchmarkResult(started_at=datetime(2026, 12, 2, tzinfo=timezone.utc), args=args, work_dir=tmp_path)
    result.failures.append(f"3. Full build: see {REPO_ROOT}/target/x.log and {outside}/y/z.log")
    record = json.dumps(record_of(result, {"commit": "abc"}))
    assert str(REPO_ROOT) not in record and str(tmp_path) not in record


def test_the_stored_orders_model_is_found_in_the_manifest():
    manifest = {"nodes": {
        "model.p.a": {"resource_type": "model", "name": "a", "config": {"materialized": "incremental"}},
        "model.p.b": {"resource_type": "model", "name": "b", "config": {"materialized": "table"}},
        "seed.p.c": {"resource_type": "seed", "name": "c", "config": {"materialized": "seed"}},
    }}
    assert incremental_models(manifest) == ["a"]


# --------------------------------------------------------------------------------------
# Spark marts against DuckDB's: values as both engines should agree on them
# --------------------------------------------------------------------------------------

def test_marts_compare_numbers_by_value_timestamps_as_utc_text_exactly():
    import duckdb

    con = duckdb.connect(":memory:")
    con.execute("set TimeZone = 'UTC'")
    # "Spark": decimals, an instant with a zone, columns in another order.
    con.execute("""create table spark as select * from (values
        (12.50::decimal(18, 2), timestamptz '2026-04-14 11:00:00+02', 'UK01', 3::bigint),
        (0.10::decimal(18, 2), null, 'IE01', 1::bigint)) t(amount, as_of, entity_id, n)""")
    # "DuckDB": doubles and integers, a UTC wall-clock timestamp.
    con.execute("""create table duck as select entity_id, n, amount, as_of from (values
        ('IE01', 1, 0.1::double, null::timestamp),
        ('UK01', 3, 12.5::double, timestamp '2026-04-14 09:00:00')) t(entity_id, n, amount, as_of)""")
    check = compare_engine_mart(con, "mart", "spark", "duck")
    assert check.identical, check.describe()
    assert check.describe() == "identical (2 rows, columns in another order)"

    con.execute("create table duck_other_text as select * replace ('uk01' as entity_id) from duck "
                "where entity_id = 'UK01' union all select * from duck where entity_id = 'IE01'")
    check = compare_engine_mart(con, "mart", "spark", "duck_other_text")
    assert not check.identical
    assert check.describe() == "DIFFERENT: 2 vs 2 rows, 1 rows only Spark, 1 rows only DuckDB"

    con.execute("create table duck_missing_column as select entity_id, n, amount from duck")
    check = compare_engine_mart(con, "mart", "spark", "duck_missing_column")
    assert not check.identical and "columns differ" in check.describe()


def test_comparable_values_and_duplicate_rows():
    import decimal

    assert comparable(decimal.Decimal("12.50")) == comparable(12.5) == comparable(25 / 2)
    assert comparable(-0.0) == comparable(0)
    assert comparable("a") != comparable("a ")
    assert comparable(True) != comparable(1)
    import duckdb

    con = duckdb.connect(":memory:")
    con.execute("create table a as select * from (values (1), (1), (2)) t(x)")
    con.execute("create table b as select * from (values (1), (2), (2)) t(x)")
    check = compare_engine_mart(con, "mart", "a", "b")
    assert (check.only_left, check.only_right) == (1, 1)


def test_the_jvm_heap_is_read_from_the_process_tree():
    commands = {10: ["/usr/bin/python3", ".venv/bin/dbt", "build"],
                11: ["/usr/lib/jvm/java-17/bin/java", "-cp", "x", "-Xmx6g",
                     "org.apache.spark.deploy.SparkSubmit", "--conf", "spark.driver.memory=6g"]}
    assert jvm_max_heap(commands) == "6g"
    assert jvm_max_heap({10: ["bash", "-Xmx1g"]}) is None


def test_a_child_sharing_its_parents_memory_is_counted_once():
    """A forked child that has not written to its pages (as the JVM's vforked children for an
    instant) holds its parent's pages: the tree's peak is the parent's, not twice it."""
    import subprocess

    code = ("import os, time\n"
            "big = bytearray(200 * 1024 * 1024)\n"
            "for i in range(0, len(big), 4096): big[i] = 1\n"
            "time.sleep(0.3)\n"
            "pid = os.fork()\n"
            "if pid == 0:\n"
            "    time.sleep(0.8); os._exit(0)\n"
            "os.waitpid(pid, 0)\n")
    proc = subprocess.Popen([sys.executable, "-c", code])
    sampler = TreeMemorySampler(proc.pid, interval_s=0.02)
    sampler.start()
    assert proc.wait(timeout=60) == 0
    sampler.stop()
    assert 0.2e9 < sampler.peak_bytes < 0.3e9, sampler.peak_bytes
