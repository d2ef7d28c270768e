"""The gap history: one row per (as_of, entity) per run, kept across full refreshes.

Builds the demo's models (no tests: test_demo.py runs those) four times into one
DuckDB file: three different as_of values, out of order, then one of them again with
--full-refresh and another alert threshold. The history must hold each as_of once,
the re-run's values, and the card must print the change since the previous run.
"""

from __future__ import annotations

import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from dbt_helpers import PROJECT_DIR, connect_read_only, run_dbt

sys.path.insert(0, str(PROJECT_DIR / "scripts"))
import card_values  # noqa: E402
import publish as publisher  # noqa: E402

MODELS_ONLY = ["build",
                "--resource-type", "model", "--resource-type", "seed"]


def build_at(database: Path, as_of: str, *extra: str, **vars: object) -> None:
    run_dbt([*MODELS_ONLY, *extra], database, vars={"gap_as_of": as_of, **vars})


@pytest.fixture(scope="module")
def history_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    database = tmp_path_factory.mktemp("history") / "history.duckdb"
    build_at(database, "2026-04-12T09:00:00Z")
    build_at(database, "2026-04-14T09:00:00Z")
    build_at(database, "2026-04-13T09:00:00Z")
    # The same as_of again, from scratch and with another threshold: its rows are replaced.
    build_at(database, "2026-04-14T09:00:00Z", "--full-refresh", gap_alert_threshold=50)
    return database


def history(database: Path) -> list[dict]:
    con = connect_read_only(database)
    try:
        cursor = con.execute("select * from ecom_sage_customer_gap_history order by as_of")
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]
    finally:
        con.close()


def test_history_holds_each_run_once_and_survives_a_full_refresh(history_db: Path) -> None:
    rows = history(history_db)
    assert [row["as_of"].strftime("%Y-%m-%d") for row in rows] == ["2026-04-12", "2026-04-13", "2026-04-14"]
    assert all(row["entity_id"] is None for row in rows)
    latest = rows[-1]
    assert (latest["absent_customers"], latest["absent_b2b_customers"], latest["orders_attached"]) == (34, 7, 51)
    assert (latest["dtc_new_customers"], latest["dtc_returning_email_changed_customers"],
            latest["b2b_new_account_customers"], latest["b2b_vat_not_keyed_customers"]) == (21, 6, 5, 2)
    assert latest["alert_threshold"] == 50 and not latest["is_alert"], "the re-run replaced the row"
    for row in rows:
        cohorts = sum(row[f"{c}_customers"] for c in (
            "inactive_in_sage", "b2b_vat_not_keyed", "b2b_new_account",
            "dtc_returning_email_changed", "dtc_new", "dtc_returning_unmatched"))
        assert cohorts == row["absent_customers"] == row["absent_b2b_customers"] + row["absent_dtc_customers"]
    assert len({row["absent_customers"] for row in rows}) > 1, "the three runs differ, so the test can tell them apart"


def test_card_prints_the_change_since_the_previous_run(history_db: Path) -> None:
    previous = history(history_db)[1]
    out = subprocess.run([sys.executable, str(PROJECT_DIR / "scripts" / "print_card.py"),
                          "--database", str(history_db)], capture_output=True, text=True, check=True).stdout
    delta = 34 - previous["absent_customers"]
    assert (f"since the previous run (13 Apr 2026 09:00): absent {previous['absent_customers']} -> 34 "
            f"({delta:+d}), B2B {previous['absent_b2b_customers']} -> 7, "
            f"orders {previous['orders_attached']} -> 51") in out, out
    assert "alerts: none" not in out and "ALERT: B2B absent 7 > threshold 0 in the single entity" in out
    assert max(len(line) for line in out.splitlines()) <= 100


class Page(HTMLParser):
    """What the HTML card shows: elements by tag with their attributes, and its text."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def all(self, tag: str, **attrs: str) -> list[dict]:
        return [a for t, a in self.elements if t == tag and all(a.get(k) == v for k, v in attrs.items())]


def test_html_card_is_rendered_from_the_publication(history_db: Path, tmp_path: Path) -> None:
    publication = publisher.publish(history_db, tmp_path / "publish")
    page_text = (publication.path / "card.html").read_text(encoding="utf-8")
    page = Page()
    page.feed(page_text)
    text = " ".join(" ".join(page.text).split())
    # Self-contained: nothing is fetched from anywhere.
    assert "http" not in page_text and not page.all("script") and not page.all("link") and not page.all("img")
    assert "34 absent customers" in text
    # Words, not codes; every amount with its currency (the demo is all in pounds).
    assert not any(code in text for code in ("b2b_vat_not_keyed", "b2b_new_account", "dtc_new", "match_key_choice"))
    assert "GBP 50,408.20 value attached" in text
    assert "ALERT: B2B absent 7 > threshold 0 in the single entity" in text
    con = connect_read_only(history_db)
    try:
        (previous,) = con.execute("select sum(absent_customers) from ecom_sage_customer_gap_history "
                                  "where as_of = '2026-04-13 09:00:00'").fetchone()
    finally:
        con.close()
    assert f"Since the previous run (13 Apr 2026 09:00): absent {previous} → 34 ({34 - previous:+,})" in text
    con = connect_read_only(history_db)
    try:
        b2b = con.execute("select customer_name, recommended_action from ecom_sage_customer_gap_customers "
                          "where customer_type = 'b2b'").fetchall()
        reasons = con.execute("select reason, customers_affected from ecom_sage_customer_gap_reconciliation").fetchall()
    finally:
        con.close()
    assert len(b2b) == 7
    for name, action in b2b:
        assert " ".join(name.split()) in text and " ".join(action.split()) in text, name
    assert len(reasons) == 7
    # Each reason in words (never its code), with its count in the same row.
    cells = [" ".join(t.split()) for t in page.text if t.strip()]
    assert {a["data-reason"] for a in page.all("tr") if "data-reason" in a} == {reason for reason, _ in reasons}
    for reason, customers in reasons:
        assert reason not in cells, reason
        position = cells.index(card_values.REASON_LABELS[reason])
        assert str(customers) in cells[position:position + 5], reason
    bars = {a["data-cohort"]: float(a["width"]) for a in page.all("rect") if a.get("class") == "cohort-bar"}
    assert len(bars) == 6 and bars["dtc_new"] == max(bars.values()) and bars["inactive_in_sage"] == 0
    (trend,) = page.all("polyline", **{"class": "series-absent"})
    assert len(trend["points"].split()) == 3, "one point per as_of in the history"
    heights = [float(point.split(",")[1]) for point in trend["points"].split()]
    assert heights[-1] == min(heights), "the latest run (34, the most) is drawn highest"
