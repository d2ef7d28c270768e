#!/usr/bin/env python3
"""Benchmark the project on a scale dataset: dbt build, the same SQL without dbt, and an
incremental run after new data. Records the run in benchmarks/results.jsonl and renders
BENCHMARKS.md from it. With ``--target spark``, the build on Spark instead, beside
DuckDB's build of the same data.

Usage:
    .venv/bin/python scripts/benchmark.py [--scale 1] [--format parquet] [--seed 20260414]
        [--data-dir DIR] [--regenerate] [--target duckdb|spark] [--spark-driver-memory 6g]
        [--threads 2] [--memory-limit 3GB]
        [--skip-direct] [--skip-incremental] [--increment 0.01] [--increment-dir DIR]
        [--work-dir target/benchmark/r<S>] [--no-append] [--results benchmarks/results.jsonl]
        [--output BENCHMARKS.md]
        [--note TEXT]
    .venv/bin/python scripts/benchmark.py --render-only [--output BENCHMARKS.md]

The steps, what each measures and the exit code: scripts/benchmarking/__init__.py.
"""

import sys
from pathlib import Path

# The package, demo_data (the dataset's version) and mart_snapshot.py sit beside this file.
sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchmarking.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
