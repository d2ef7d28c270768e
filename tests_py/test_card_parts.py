"""The card's parts that need no build: the trend's time axis and how amounts are shown."""

from __future__ import annotations

import datetime as dt
import sys
from decimal import Decimal

import pytest

from dbt_helpers import PROJECT_DIR

sys.path.insert(0, str(PROJECT_DIR / "scripts"))
from card_values import Amount  # noqa: E402
from html_card import MAX_TICKS, TREND_SIDE, TREND_WIDTH, time_ticks, trend_chart  # noqa: E402


def run(as_of: str, absent: int = 10, b2b: int = 2) -> dict:
    return {"as_of": dt.datetime.fromisoformat(as_of), "absent_customers": absent, "absent_b2b_customers": b2b}


def test_runs_sit_where_their_dates_fall() -> None:
    chart = trend_chart([run("2026-03-01 09:00"), run("2026-04-12 09:00"), run("2026-04-13 09:00", 30)])
    xs = [point["x"] for point in chart["series"][0]["points"]]
    assert xs[0] == TREND_SIDE and xs[-1] == TREND_WIDTH - TREND_SIDE
    assert (xs[1] - xs[0]) == pytest.approx(42 * (xs[2] - xs[1])), "42 days against one"
    ys = [point["y"] for point in chart["series"][0]["points"]]
    assert ys[2] < ys[0], "more absent customers are drawn higher"


def test_a_single_run_sits_in_the_middle() -> None:
    chart = trend_chart([run("2026-04-14 09:00")])
    assert chart["series"][0]["points"][0]["x"] == TREND_WIDTH / 2
    assert [tick["label"] for tick in chart["ticks"]] == ["14 Apr 2026"]


@pytest.mark.parametrize("first, last, labels", [
    ("2026-04-14 06:30", "2026-04-14 18:30", ["14 Apr 09:00", "14 Apr 12:00", "14 Apr 15:00", "14 Apr 18:00"]),
    ("2026-04-12 09:00", "2026-04-14 09:00", ["13 Apr", "14 Apr"]),
    ("2026-03-01 09:00", "2026-04-14 09:00", ["9 Mar", "23 Mar", "6 Apr"]),
    ("2026-01-15 09:00", "2026-06-14 09:00", ["Feb 2026", "Mar 2026", "Apr 2026", "May 2026", "Jun 2026"]),
    ("2025-11-20 09:00", "2026-02-14 09:00", ["Dec 2025", "Jan 2026", "Feb 2026"]),
    ("2025-12-20 09:00", "2026-01-14 09:00", ["22 Dec 2025", "29 Dec 2025", "5 Jan 2026", "12 Jan 2026"]),
])
def test_axis_labels_are_round_dates_that_fit_a_phone(first: str, last: str, labels: list[str]) -> None:
    ticks = time_ticks(dt.datetime.fromisoformat(first), dt.datetime.fromisoformat(last))
    assert [label for _, label in ticks] == labels
    assert 0 < len(ticks) <= MAX_TICKS


@pytest.mark.parametrize("amount, text, mixed", [
    (Amount(Decimal("50408.20"), {"GBP": Decimal("50408.20")}), "GBP 50,408.20", False),
    (Amount(Decimal("100.00"), {"GBP": Decimal("60.00"), "EUR": Decimal("40.00")}), "EUR 40.00 + GBP 60.00", True),
    (Amount(Decimal("0.00"), {}, currency_when_none="GBP"), "GBP 0.00", False),
    (Amount(Decimal("0.00"), {}), "none", False),
    # The orders do not account for the figure: it is shown, its currency unknown.
    (Amount(Decimal("100.00"), {"GBP": Decimal("60.00")}), "currency unknown 100.00", False),
])
def test_amounts_say_their_currency_and_never_add_two(amount: Amount, text: str, mixed: bool) -> None:
    assert (amount.text, amount.is_mixed) == (text, mixed)
