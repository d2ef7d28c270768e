"""Shared fixtures of the Spark checks: one local SparkSession for the whole run."""

from __future__ import annotations

import pytest

# Filled by the parity tests, printed once at the end of the run (see pytest_terminal_summary).
PARITY_RESULTS: list[str] = []


@pytest.fixture(scope="session")
def spark(tmp_path_factory):
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("ecom_sage_gap_tests_spark")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.warehouse.dir", str(tmp_path_factory.mktemp("spark-warehouse")))
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def pytest_terminal_summary(terminalreporter):
    if PARITY_RESULTS:
        terminalreporter.section("Spark vs DuckDB")
        for line in PARITY_RESULTS:
            terminalreporter.write_line(line)
