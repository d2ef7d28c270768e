"""End to end: the bundled demo is the card's worked example.

Builds the demo exactly as `make demo` does (`dbt build --exclude tag:alert` with
gap_as_of 2026-04-14T09:00:00Z, every unit and data test included) into its own DuckDB
file, then checks the published marts against the worked example and against the
expected answers the demo generator wrote from the intent of each case, the sibling
cards' marts included (VAT mismatches, match rate, orders without a Sage order).
"""

from __future__ import annotations

import csv
import filecmp
import json
import subprocess
import sys
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from dbt.cli.main import dbtRunner

from dbt_helpers import PROJECT_DIR, connect_read_only, run_dbt

DEMO_VARS = {"gap_as_of": "2026-04-14T09:00:00Z"}
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    run_dbt(["build", "--exclude", "tag:alert"], path, vars=DEMO_VARS)
    return path


def query(path: Path, sql: str) -> list[dict]:
    con = connect_read_only(path)
    try:
        cursor = con.execute(sql)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]
    finally:
        con.close()


def test_headline_reads_the_worked_example(demo_db: Path) -> None:
    rows = query(demo_db, "select * from ecom_sage_customer_gap")
    assert len(rows) == 1, "single-entity demo: one headline row"
    gap = rows[0]
    assert gap["entity_id"] is None
    assert (gap["absent_customers"], gap["orders_attached"]) == (34, 51)
    assert (gap["absent_b2b_customers"], gap["absent_dtc_customers"]) == (7, 27)
    assert gap["is_alert"] and gap["is_b2b_alert"]
    assert gap["sentiment"] == "customer_master_gap"
    assert (gap["alert_threshold"], gap["b2b_alert_threshold"], gap["window_days"]) == (10, 0, 7)
    assert str(gap["as_of"]) == "2026-04-14 09:00:00"
    assert str(gap["sage_last_synced_at"]) == "2026-04-14 03:00:00"


def test_cohorts_read_the_worked_example(demo_db: Path) -> None:
    rows = query(demo_db, "select cohort, customers, orders_attached from ecom_sage_customer_gap_cohorts")
    assert {r["cohort"]: (r["customers"], r["orders_attached"]) for r in rows} == {
        "inactive_in_sage": (0, 0),
        "b2b_vat_not_keyed": (2, 7),
        "b2b_new_account": (5, 14),
        "dtc_returning_email_changed": (6, 9),
        "dtc_new": (21, 21),
        "dtc_returning_unmatched": (0, 0),
    }


def test_absent_customers_are_the_demo_cast(demo_db: Path) -> None:
    with open(FIXTURES / "demo_expected_absent_customers.csv", newline="") as handle:
        expected = {row["customer_key"]: row for row in csv.DictReader(handle)}
    actual = {row["customer_key"]: row for row in query(demo_db, "select * from ecom_sage_customer_gap_customers")}
    assert sorted(actual) == sorted(expected)
    for key, want in expected.items():
        got = actual[key]
        assert got["customer_type"] == want["customer_type"], key
        assert got["cohort"] == want["cohort"], key
        assert got["orders_in_window"] == int(want["orders_in_window"]), key
        assert got["order_value_in_window"] == Decimal(want["order_value_in_window"]), key
        assert got["sync_status"] == want["sync_status"], key
        assert got["is_suspected_duplicate"] == (want["is_suspected_duplicate"] == "true"), key
        assert (got["suspected_sage_customer_id"] or "") == want["suspected_sage_customer_id"], key
        assert got["orders_posted_to_holding"] == int(want["orders_posted_to_holding"]), key
        assert got["name_matches_sage"] == (want["name_matches_sage"] == "true"), key
        assert got["recommended_action"], key


def test_reconciliation_is_measured(demo_db: Path) -> None:
    with open(FIXTURES / "demo_expected_reconciliation.csv", newline="") as handle:
        expected = {r["reason"]: (int(r["customers_affected"]), int(r["orders_affected"])) for r in csv.DictReader(handle)}
    rows = query(demo_db, "select reason, customers_affected, orders_affected from ecom_sage_customer_gap_reconciliation")
    assert {r["reason"]: (r["customers_affected"], r["orders_affected"]) for r in rows} == expected


def test_orders_drill_down_lists_the_51_orders(demo_db: Path) -> None:
    rows = query(demo_db, "select count(*) as n, count(distinct order_key) as k, "
                          "sum(case when posted_to_holding then 1 else 0 end) as held "
                          "from ecom_sage_customer_gap_orders")
    assert rows[0]["n"] == rows[0]["k"] == 51
    assert rows[0]["held"] > 0


def test_alert_gate_fails_on_the_demo(demo_db: Path, tmp_path: Path) -> None:
    # The gate runs after the marts exist; the B2B alert (error) fails it, the overall
    # alert (warn) only warns.
    from dbt_helpers import DbtInvocationError

    with pytest.raises(DbtInvocationError) as failure:
        run_dbt(["test", "--select", "tag:alert"], demo_db, vars=DEMO_VARS)
    assert "alert_b2b_customer_master_gap" in str(failure.value)


def test_alert_gate_passes_when_thresholds_allow_the_gap(demo_db: Path) -> None:
    result = run_dbt(["test", "--select", "tag:alert"], demo_db,
                     vars={**DEMO_VARS, "gap_b2b_alert_threshold": 7, "gap_alert_threshold": 34,
                           "gap_vat_mismatch_alert_threshold": 3})
    statuses = {r.node.name: str(r.status) for r in result.result.results}
    assert statuses == {"alert_b2b_customer_master_gap": "pass", "alert_customer_master_gap": "pass",
                        "alert_vat_mismatch": "pass"}


def test_print_card_shows_the_numbers(demo_db: Path) -> None:
    out = subprocess.run([sys.executable, str(PROJECT_DIR / "scripts" / "print_card.py"), "--database", str(demo_db)],
                         capture_output=True, text=True, check=True).stdout
    assert "ABSENT CUSTOMERS  34" in out
    assert "(B2B 7, DTC 27)" in out
    assert "orders attached 51" in out
    assert "rejected input rows 0" in out
    assert "ALERT: B2B absent 7 > threshold 0 in the single entity" in out
    assert "since the previous run: none recorded before this one" in out
    # Amounts with their currency; cohorts and reasons in words, never their codes.
    assert "value GBP 50,408.20" in out and "GBP 11,900.26" in out
    assert "Rhein Handel GmbH [New B2B accounts (no master record yet)]: Create" in out
    assert "Match-key choice" in out
    assert not any(code in out for code in ("b2b_new_account", "b2b_vat_not_keyed", "match_key_choice"))
    assert max(len(line) for line in out.splitlines()) <= 100, "the card fits 100 columns"


def test_demo_generator_is_deterministic(tmp_path: Path) -> None:
    subprocess.run([sys.executable, str(PROJECT_DIR / "scripts" / "generate_demo_data.py"), "--out", str(tmp_path / "demo")],
                   check=True, capture_output=True)
    demo = PROJECT_DIR / "data" / "demo"
    for csv_path in sorted(demo.glob("*/*.csv")):
        regenerated = tmp_path / "demo" / csv_path.relative_to(demo)
        assert filecmp.cmp(csv_path, regenerated, shallow=False), f"{csv_path} differs from a fresh generation"
    # The expected answers are the generator's too (written beside a demo outside data/demo).
    for csv_path in sorted(FIXTURES.glob("demo_expected_*.csv")):
        regenerated = tmp_path / "demo" / "expected" / csv_path.name
        assert filecmp.cmp(csv_path, regenerated, shallow=False), f"{csv_path} differs from a fresh generation"


# --- The sibling cards on the demo, against the generator's expected answers ---

def expected_rows(name: str) -> list[dict]:
    with open(FIXTURES / name, newline="") as handle:
        return list(csv.DictReader(handle))


def as_text(value) -> str:
    """A mart value written as the expected-answer CSVs write it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, (Decimal, float)):
        return f"{value:.2f}"
    return str(value)


def mart_as_text(path: Path, mart: str, columns, key) -> list[dict]:
    return sorted(({column: as_text(row[column]) for column in columns} for row in query(path, f"select * from {mart}")),
                  key=key)


def test_vat_mismatch_mart_is_the_expected_list(demo_db: Path) -> None:
    expected = expected_rows("demo_expected_vat_mismatch.csv")
    by_key = lambda row: (row["entity_id"], row["customer_key"])  # noqa: E731
    assert [row["mismatch"] for row in expected].count("vat_differs") == 2  # M08 and V02; V01 lacks it
    assert mart_as_text(demo_db, "ecom_sage_vat_mismatch", list(expected[0]), by_key) == sorted(expected, key=by_key)


def test_match_rate_mart_is_the_expected_reading(demo_db: Path) -> None:
    (want,) = expected_rows("demo_expected_match_rate.csv")
    (got,) = query(demo_db, "select * from ecom_sage_customer_match_rate")
    counts = [column for column in want if column.endswith("_customers")]
    assert {column: got[column] for column in counts} == {column: int(want[column]) for column in counts}
    assert (got["entity_id"], as_text(got["as_of"])) == (None, want["as_of"])
    ordering, present = int(want["ordering_customers"]), int(want["present_customers"])
    assert float(got["match_rate"]) == pytest.approx(present / ordering)
    assert f"{float(got['match_rate']):.4f}" == want["match_rate"]


def test_match_rate_absent_customers_are_the_headline(demo_db: Path) -> None:
    (rate,) = query(demo_db, "select * from ecom_sage_customer_match_rate")
    (gap,) = query(demo_db, "select * from ecom_sage_customer_gap")
    assert (rate["absent_customers"], rate["b2b_absent_customers"], rate["dtc_absent_customers"]) == (
        gap["absent_customers"], gap["absent_b2b_customers"], gap["absent_dtc_customers"]) == (34, 7, 27)


def test_orders_without_sage_order_are_the_expected_list(demo_db: Path) -> None:
    expected = expected_rows("demo_expected_orders_without_sage_order.csv")
    by_key = lambda row: (row["storefront"], row["order_id"])  # noqa: E731
    assert mart_as_text(demo_db, "ecom_orders_without_sage_order", list(expected[0]), by_key) == sorted(
        expected, key=by_key)


def test_headline_counts_the_expected_orders_without_sage_order(demo_db: Path) -> None:
    expected = expected_rows("demo_expected_orders_without_sage_order.csv")
    (gap,) = query(demo_db, "select orders_without_sage_order, orders_without_sage_order_value "
                            "from ecom_sage_customer_gap")
    assert gap["orders_without_sage_order"] == len(expected) == 53
    assert gap["orders_without_sage_order_value"] == sum(Decimal(row["order_total"]) for row in expected)


def test_listed_orders_of_absent_customers_are_those_not_on_websales(demo_db: Path) -> None:
    # In the demo no absent customer's order has a sales document other than on WEBSALES,
    # so the absent customers' orders without a Sage order are the card's orders not
    # posted to the holding customer: 51 - 12.
    listed = {(row["storefront"], row["order_id"]) for row in query(
        demo_db, "select storefront, order_id from ecom_orders_without_sage_order where is_customer_absent")}
    not_held = {(row["storefront"], row["order_id"]) for row in query(
        demo_db, "select storefront, order_id from ecom_sage_customer_gap_orders where not posted_to_holding")}
    assert listed == not_held
    assert len(listed) == 39


# --- The fuzzy duplicate check stays blocked: its DuckDB plan has only hash joins ---

FUZZY_MODEL = "int_ecom_absent_customers_classified"
UNBLOCKED_JOINS = ("NESTED_LOOP_JOIN", "BLOCKWISE_NL_JOIN", "CROSS_PRODUCT", "PIECEWISE_MERGE_JOIN")


def plan_operators(path: Path, sql: str) -> list[str]:
    """The operator names of DuckDB's physical plan for ``sql`` on the database."""
    con = connect_read_only(path)
    try:
        plan = json.loads(con.execute("explain (format json) " + sql).fetchall()[0][1])
    finally:
        con.close()
    names: list[str] = []

    def walk(node: dict) -> None:
        names.append(node["name"])
        for child in node.get("children", []):
            walk(child)

    for root in plan:
        walk(root)
    return names


def unblocked_joins(path: Path, sql: str) -> list[str]:
    return [name for name in plan_operators(path, sql) if name in UNBLOCKED_JOINS]


def compiled_model_sql(path: Path, model: str) -> str:
    compiled = path.parent / "dbt_target" / "compiled" / "ecom_sage_gap" / "models"
    matches = [match for match in compiled.rglob(f"{model}.sql") if match.parent.suffix != ".yml"]
    assert len(matches) == 1, f"compiled SQL of {model}: {matches}"
    return matches[0].read_text()


def fuzzy_candidates_sql(path: Path) -> str:
    """The duplicate check of the classification model: its CTEs up to the scored and kept
    candidates (the rest of the model ranks them and classifies)."""
    compiled = compiled_model_sql(path, FUZZY_MODEL)
    head = compiled.split("ranked_candidates as (", 1)[0].rstrip().rstrip(",")
    return head + "\nselect * from candidates"


def test_fuzzy_duplicate_check_plan_has_no_unblocked_join(demo_db: Path) -> None:
    sql = fuzzy_candidates_sql(demo_db)
    operators = plan_operators(demo_db, sql)
    assert "HASH_JOIN" in operators
    assert "jaro_winkler_similarity" in sql, "the model compares names"
    assert unblocked_joins(demo_db, sql) == [], operators


def test_plan_check_catches_an_unblocked_comparison(demo_db: Path) -> None:
    # The same names compared without blocking (every absent customer x every Sage
    # row): the check must flag it, or the test above proves nothing.
    unblocked = """
        select details.customer_key, sage.sage_customer_id
        from int_ecom_absent_customer_details as details
        inner join int_sage_customers_by_entity as sage
            on jaro_winkler_similarity(details.detail_value, sage.person_name) >= 0.92
        where details.detail_type = 'person_name'
    """
    assert unblocked_joins(demo_db, unblocked)


def test_docs_site_is_one_static_page_with_the_real_consumers(demo_db: Path) -> None:
    run_dbt(["docs", "generate", "--static"], demo_db, vars=DEMO_VARS)
    page = demo_db.parent / "dbt_target" / "static_index.html"
    text = page.read_text(encoding="utf-8")
    for exposure in ("ecom_customers_absent_from_sage_card", "ecom_customers_absent_from_sage_html_card",
                     "ecom_sage_gap_bi_publication"):
        assert exposure in text, exposure
    assert "ecom_sage_customer_gap_history" in text


def test_progress_runner_prints_a_summary_not_a_line_per_node(demo_db: Path) -> None:
    # make demo runs dbt through scripts/dbt_progress.py: a run of dozens of nodes prints
    # its summary in two lines, and a failing node is still printed in full.
    import io
    import os

    sys.path.insert(0, str(PROJECT_DIR / "scripts"))
    import dbt_progress

    env = {**os.environ, "ECOM_SAGE_GAP_DUCKDB_PATH": str(demo_db), "DBT_PROFILES_DIR": str(PROJECT_DIR)}
    common = ["--vars", json.dumps(DEMO_VARS), "--project-dir", str(PROJECT_DIR),
              "--target-path", str(demo_db.parent / "progress_target"),
              "--log-path", str(demo_db.parent / "progress_logs")]
    out = io.StringIO()
    code = dbt_progress.run(["build", "--select", "ecom_sage_customer_gap_customers+", "--exclude", "tag:alert",
                             *common], stream=out, env=env)
    lines = out.getvalue().splitlines()
    assert code == 0, out.getvalue()
    assert len(lines) == 2, lines
    done = int(lines[0].split("[")[1].split("/")[0])
    assert done > 10 and "failed 0" in lines[0] and lines[1].strip().startswith("Done. PASS=")

    out = io.StringIO()
    code = dbt_progress.run(["test", "--select", "tag:alert", *common], stream=out, env=env)
    assert code == 1
    assert "FAIL 1 alert_b2b_customer_master_gap" in out.getvalue()
    # The progress line and dbt's summary, then why each failing test failed (its rows).
    lines = out.getvalue().splitlines()
    why = [line for line in lines if line.startswith("  why ")]
    assert "failed 1" in lines[-2 - len(why)]
    assert lines[-1 - len(why)].strip().startswith("Done. PASS=")
    assert ("  why alert_b2b_customer_master_gap: B2B absent 7 > threshold 0 in the single entity"
            " (entity_id=None, observed=7, threshold=0)") in why, lines
    assert any(line.startswith("  why alert_customer_master_gap: Absent customers 34 > threshold 10")
               for line in why), lines  # a warning says why too
