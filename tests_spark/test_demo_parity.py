"""The demo built on Spark publishes the same eight marts as the demo built on DuckDB.

Both builds are `dbt build --exclude tag:alert --resource-type seed --resource-type
model` of the bundled demo (file mode, data/demo) at the demo's gap_as_of, run as
subprocesses like a user's run (parity_support.py). The data tests are left out: `make
test` runs them on DuckDB, and on Spark they would more than double the time (about 200
queries of a second each).

The marts are then read back (DuckDB from its file, Spark from the Parquet files of its
warehouse, with the session of conftest.py) and compared row for row. Then the alert
gate (`dbt test --select tag:alert`, the scheduled run's last step) runs on both engines
and must give the same statuses and failing-row counts. The whole thing takes about six
minutes on two cores.
"""

from __future__ import annotations

import json

import pytest

from parity_support import MARTS, PROJECT_DIR, Builds
from conftest import PARITY_RESULTS

DEMO_AS_OF = "2026-04-14T09:00:00Z"


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> Builds:
    demo = Builds(
        tmp_path_factory.mktemp("demo-parity"), PROJECT_DIR,
        {"gap_as_of": DEMO_AS_OF, "raw_data_path": str(PROJECT_DIR / "data" / "demo")},
    )
    demo.build("duckdb", "--exclude", "tag:alert")
    demo.build("spark", "--exclude", "tag:alert")
    return demo


@pytest.mark.parametrize("mart", MARTS)
def test_mart_is_the_same_on_spark(builds, spark, mart):
    builds.assert_same_mart(spark, mart, mart)


def alert_gate(builds: Builds, target: str) -> dict[str, tuple[str, int]]:
    """`dbt test --select tag:alert` (the scheduled run's final gate): each alert's status
    and number of failing rows, from run_results.json."""
    builds.run(target, "test", "--select", "tag:alert")
    results = json.loads((builds.workdir / f"target-{target}" / "run_results.json").read_text(encoding="utf-8"))
    return {
        result["unique_id"].split(".")[2]: (result["status"], result.get("failures"))
        for result in results["results"]
    }


def test_alert_gate_is_the_same_on_spark(builds):
    on_duckdb = alert_gate(builds, "duckdb")
    on_spark = alert_gate(builds, "spark")
    # The demo's gate: the B2B alert fails (7 > 0), the overall one warns (34 > 10) and the
    # VAT-mismatch one warns (3 > 0).
    assert on_duckdb == {
        "alert_b2b_customer_master_gap": ("fail", 1),
        "alert_customer_master_gap": ("warn", 1),
        "alert_vat_mismatch": ("warn", 1),
    }, on_duckdb
    PARITY_RESULTS.append(f"alert gate: DuckDB {on_duckdb}, Spark {on_spark}")
    assert on_spark == on_duckdb
