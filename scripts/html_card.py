"""The card as one self-contained HTML page: headline, alerts, change since the previous
run, the history trend (inline SVG on a time axis), the cohorts with their bars, the
absent B2B customers with their actions, and the reconciliation table. No script, no
font, no stylesheet or image from elsewhere: the file can be mailed or opened offline,
and it reflows to a phone's width.

    python scripts/html_card.py [--database publish/current/ecom_sage_gap.duckdb] [--out card.html]

Rendered from the published marts: each publication writes its own `card.html`
(scripts/publish.py), so the page always matches the tables beside it. This module reads
the marts into plain values (chart geometry; amounts with their currency and reasons in
words come from scripts/card_values.py, as for the printed card); the page itself is the
Jinja2 template `scripts/templates/card.html.j2`, one macro per section in
`scripts/templates/sections.html.j2`.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

import duckdb
import jinja2

sys.path.insert(0, str(Path(__file__).resolve().parent))
from card_values import Amounts, mismatch_label, reason_label, rows, sibling_cards  # noqa: E402
from print_card import alert_messages, use_marts_schema  # noqa: E402

PROJECT_DIR = Path(__file__).resolve().parent.parent
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
TEMPLATE = "card.html.j2"

# The trend's drawing, in the units of its data layer (a viewBox 1000 wide, stretched to
# the page's width; see trend_chart). Its height is CSS pixels: the layer is not scaled
# vertically.
TREND_WIDTH = 1000
TREND_HEIGHT = 200
TREND_TOP = 14
TREND_BOTTOM = 26  # room for the date labels under the axis
TREND_SIDE = 30  # the first and last run sit 3% in from the edges
MAX_TICKS = 6  # few enough to fit a phone's width ("12 Apr" is about 45 px)


# --- The trend on a time axis --------------------------------------------------------

def _month_start(moment: dt.datetime, months: int) -> dt.datetime:
    """The first day of the month ``months`` after ``moment``'s month, at midnight."""
    index = moment.year * 12 + moment.month - 1 + months
    return dt.datetime(index // 12, index % 12 + 1, 1)


def _label(moment: dt.datetime, unit: str, with_year: bool) -> str:
    day = f"{moment.day} {moment:%b}" + (f" {moment.year}" if with_year else "")
    if unit == "hour":
        return f"{day} {moment:%H:%M}"
    if unit == "day":
        return day
    return f"{moment:%b %Y}" if unit == "month" else f"{moment.year}"


def time_ticks(first: dt.datetime, last: dt.datetime) -> list[tuple[dt.datetime, str]]:
    """At most MAX_TICKS round instants from ``first`` to ``last`` (hours, days, weeks,
    months or years, whichever fits), each with its label."""
    span = (last - first).total_seconds()
    with_year = first.year != last.year
    if span <= 0:
        return [(first, _label(first, "day", True))]
    for hours in (1, 3, 6, 12):  # runs within two days: hours; from two days on, dates
        if span < 2 * 86400 and span / (hours * 3600) <= MAX_TICKS - 1:
            start = first.replace(minute=0, second=0, microsecond=0)
            start -= dt.timedelta(hours=start.hour % hours)
            ticks = [start + dt.timedelta(hours=hours * i) for i in range(MAX_TICKS + 2)]
            return [(t, _label(t, "hour", with_year)) for t in ticks if first <= t <= last]
    for days in (1, 2, 7, 14):
        if span / (days * 86400) <= MAX_TICKS - 1:
            start = first.replace(hour=0, minute=0, second=0, microsecond=0)
            if days >= 7:  # weeks start on a Monday
                start -= dt.timedelta(days=start.weekday())
            ticks = [start + dt.timedelta(days=days * i) for i in range(MAX_TICKS + 2)]
            return [(t, _label(t, "day", with_year)) for t in ticks if first <= t <= last]
    for months in (1, 3, 6, 12, 24, 60):
        if span / (months * 30.44 * 86400) <= MAX_TICKS - 1:
            start = _month_start(first, -((first.month - 1) % months))
            ticks = [_month_start(start, months * i) for i in range(MAX_TICKS + 2)]
            unit = "month" if months < 12 else "year"
            return [(t, _label(t, unit, with_year)) for t in ticks if first <= t <= last]
    return [(first, _label(first, "year", True)), (last, _label(last, "year", True))]


def _nice_ceiling(value: int) -> int:
    """The smallest of 1, 2, 5 x 10^k at or above ``value`` (at least 1)."""
    value = max(value, 1)
    magnitude = 1
    while True:
        for step in (1, 2, 5):
            if step * magnitude >= value:
                return step * magnitude
        magnitude *= 10


def trend_chart(history: list[dict]) -> dict | None:
    """The absent customers and absent B2B customers of each run, placed on a true time
    axis: a run's x is proportional to its as_of, so 1 Mar -> 12 Apr is drawn 41 times as
    wide as 12 -> 13 Apr. x is in the data layer's units (0 to TREND_WIDTH, stretched
    to the page's width) and also given as a percentage for the markers and labels that
    are drawn unstretched; y is in CSS pixels."""
    if not history:
        return None
    instants = [r["as_of"] for r in history]
    first, last = min(instants), max(instants)
    span = (last - first).total_seconds()
    peak = _nice_ceiling(max(max(r["absent_customers"], r["absent_b2b_customers"]) for r in history))
    plot_height = TREND_HEIGHT - TREND_TOP - TREND_BOTTOM

    def x(moment: dt.datetime) -> float:
        if span <= 0:
            return TREND_WIDTH / 2
        return TREND_SIDE + (TREND_WIDTH - 2 * TREND_SIDE) * (moment - first).total_seconds() / span

    def y(value: int) -> float:
        return TREND_TOP + plot_height - plot_height * value / peak

    series = []
    for column, name, label in (("absent_customers", "absent", "absent customers"),
                                ("absent_b2b_customers", "B2B", "absent B2B customers")):
        points = [{"x": x(r["as_of"]), "x_pct": x(r["as_of"]) / TREND_WIDTH * 100, "y": y(r[column]),
                   "value": r[column], "as_of": r["as_of"]} for r in history]
        series.append({"name": name, "label": label,
                       "points_attr": " ".join(f"{p['x']:.1f},{p['y']:.1f}" for p in points),
                       "points": points})
    tick_marks = []
    for moment, label in time_ticks(first, last):
        pct = x(moment) / TREND_WIDTH * 100
        anchor = "start" if pct < 8 else "end" if pct > 92 else "middle"
        tick_marks.append({"x": x(moment), "x_pct": pct, "label": label,
                           "anchor": anchor, "iso": moment.strftime("%Y-%m-%dT%H:%M:%SZ")})
    gridlines = [{"value": value, "y": y(value)} for value in sorted({0, peak // 2, peak})]
    return {"width": TREND_WIDTH, "height": TREND_HEIGHT, "axis_y": y(0), "series": series,
            "ticks": tick_marks, "gridlines": gridlines, "runs": len(history), "first": first, "last": last}


# --- The card's values, entity by entity ---------------------------------------------

def entity_view(con: duckdb.DuckDBPyConnection, gap: dict, history: list[dict], rejected: int | None,
                amounts: Amounts) -> dict:
    entity = gap["entity_id"]
    entity_history = [r for r in history if r["entity_id"] == entity]
    earlier = [r for r in entity_history if r["as_of"] < gap["as_of"]]
    cohorts = rows(con, """select cohort, cohort_label, customer_type, consequence, customers, orders_attached,
                                  order_value
                           from ecom_sage_customer_gap_cohorts
                           where entity_id is not distinct from ? order by cohort_order""", [entity])
    peak = max([c["customers"] for c in cohorts] + [1])
    labels = {c["cohort"]: c["cohort_label"] for c in cohorts}
    for cohort in cohorts:
        cohort["value"] = amounts.of_cohort(entity, cohort["cohort"], cohort["order_value"])
        cohort["bar"] = 100 * cohort["customers"] / peak
    b2b = rows(con, """select customer_key, customer_name, cohort, vat_number, orders_in_window,
                              order_value_in_window, recommended_action
                       from ecom_sage_customer_gap_customers
                       where entity_id is not distinct from ? and customer_type = 'b2b'
                       order by order_value_in_window desc, customer_key""", [entity])
    for customer in b2b:
        customer["cohort_label"] = labels.get(customer["cohort"], customer["cohort"])
        customer["value"] = amounts.of_customer(entity, customer["customer_key"], customer["order_value_in_window"])
    reasons = rows(con, """select reason, direction, why, customers_affected, orders_affected
                           from ecom_sage_customer_gap_reconciliation
                           where entity_id is not distinct from ? order by reason""", [entity])
    for reason in reasons:
        reason["label"] = reason_label(reason["reason"])
    siblings = sibling_cards(con, entity)
    if siblings:
        for mismatch in siblings["mismatches"]:
            mismatch["label"] = mismatch_label(mismatch["mismatch"])
        siblings["missing_orders"] = [o for o in siblings["orders"] if o["sync_status"] == "missing"][:5]
    return {
        "gap": gap,
        "name": entity or "Single entity",
        "value": amounts.of_entity(entity, gap["order_value_attached"]),
        "rejected": rejected,
        "alerts": alert_messages(gap),
        "previous": earlier[-1] if earlier else None,
        "trend": trend_chart(entity_history),
        "cohorts": cohorts,
        "b2b": b2b,
        "reasons": reasons,
        "siblings": siblings,
        "sync_after_as_of": bool(gap["sage_last_synced_at"] and gap["sage_last_synced_at"] > gap["as_of"]),
    }


def environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
                             autoescape=jinja2.select_autoescape(["html", "j2"], default=True),
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["timestamp"] = lambda value: f"{value:%d %b %Y %H:%M}"
    env.filters["count"] = lambda value: f"{value:,}"
    env.filters["signed"] = lambda value: f"{value:+,}"
    env.filters["number"] = lambda value, digits=1: f"{value:.{digits}f}"
    return env


def render(con: duckdb.DuckDBPyConnection, source: str = "") -> str:
    use_marts_schema(con)
    gaps = rows(con, "select * from ecom_sage_customer_gap order by entity_id nulls first")
    try:
        history = rows(con, "select * from ecom_sage_customer_gap_history order by as_of")
    except duckdb.CatalogException:
        history = []
    try:
        rejected = con.execute("select count(*) from ecom_sage_input_rejections").fetchone()[0]
    except duckdb.CatalogException:
        rejected = None
    amounts = Amounts(con)
    entities = [entity_view(con, gap, history, rejected, amounts) for gap in gaps]
    return environment().get_template(TEMPLATE).render(
        entities=entities, source=source, rendered_at=dt.datetime.now(dt.timezone.utc))


def render_file(database: str | os.PathLike[str], out: str | os.PathLike[str]) -> Path:
    """Render the card of ``database`` (read-only) into ``out``; return its path."""
    con = duckdb.connect(str(database), read_only=True)
    try:
        page = render(con, source=Path(database).name)
    finally:
        con.close()
    out = Path(out)
    temporary = out.with_name(out.name + ".tmp")
    temporary.write_text(page, encoding="utf-8")
    os.replace(temporary, out)
    return out


def main() -> int:
    publish_dir = Path(os.environ.get("ECOM_SAGE_GAP_PUBLISH_DIR") or PROJECT_DIR / "publish")
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", default=str(publish_dir / "current" / "ecom_sage_gap.duckdb"))
    parser.add_argument("--out", default=None, help="default: card.html beside the database")
    args = parser.parse_args()
    if not Path(args.database).exists():
        print(f"No database at {args.database}: run `make schedule` or `make publish` first.", file=sys.stderr)
        return 2
    out = Path(args.out) if args.out else Path(args.database).resolve().parent / "card.html"
    print(f"card written to {render_file(args.database, out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
