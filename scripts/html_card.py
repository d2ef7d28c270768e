"""The card as one self-contained HTML page: headline, alerts, change since the previous
run, the history trend (inline SVG), cohort bars, the absent B2B customers with their
actions, and the reconciliation table. Standard library only; no script, no font, no
stylesheet or image from elsewhere: the file can be mailed or opened offline.

    python scripts/html_card.py [--database publish/current/ecom_sage_gap.duckdb] [--out card.html]

Rendered from the published marts: each publication writes its own `card.html`
(scripts/publish.py), so the page always matches the tables beside it.
"""
from __future__ import annotations

import argparse
import datetime as dt
import html
import os
import sys
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))
from print_card import alert_messages, use_marts_schema  # noqa: E402

PROJECT_DIR = Path(__file__).resolve().parent.parent
COHORT_COLUMNS = ("inactive_in_sage", "b2b_vat_not_keyed", "b2b_new_account",
                  "dtc_returning_email_changed", "dtc_new", "dtc_returning_unmatched")

STYLE = """
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d2430;
       margin: 0 auto; max-width: 980px; padding: 24px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px; }
.meta { color: #5b6472; margin: 0 0 16px; }
.entity { border-top: 3px solid #1d2430; padding-top: 12px; margin-top: 24px; }
.headline { display: flex; gap: 28px; flex-wrap: wrap; align-items: baseline; }
.big { font-size: 44px; font-weight: 700; }
.kpi b { display: block; font-size: 20px; }
.alert { background: #fde8e8; border-left: 4px solid #c81e1e; padding: 6px 10px; margin: 6px 0; }
.warn { background: #fdf6e3; border-left: 4px solid #b7791f; padding: 6px 10px; margin: 6px 0; }
.ok { background: #e6f4ea; border-left: 4px solid #2f855a; padding: 6px 10px; margin: 6px 0; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #e2e5ea; vertical-align: top; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
svg text { font: 12px system-ui, sans-serif; fill: #1d2430; }
"""


def esc(value: object) -> str:
    return html.escape("" if value is None else str(value))


def money(value: object) -> str:
    return f"{value:,.2f}" if value is not None else ""


def rows(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    cursor = con.execute(sql, params or [])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def trend_svg(history: list[dict], width: int = 900, height: int = 220) -> str:
    """Absent customers and absent B2B customers per as_of, as an inline SVG line chart."""
    if not history:
        return "<p>No history yet.</p>"
    left, right, top, bottom = 48, 16, 16, 44
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max(max(r["absent_customers"] for r in history), 1)
    count = len(history)

    def x(i: int) -> float:
        return left + (plot_w / 2 if count == 1 else plot_w * i / (count - 1))

    def y(value: int) -> float:
        return top + plot_h - plot_h * value / peak

    parts = [f'<svg role="img" aria-label="Absent customers per run" width="{width}" '
             f'height="{height}" viewBox="0 0 {width} {height}">',
             f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#9aa3af"/>',
             f'<text x="{left - 6}" y="{top + 4}" text-anchor="end">{peak}</text>',
             f'<text x="{left - 6}" y="{top + plot_h + 4}" text-anchor="end">0</text>']
    for column, colour, label in (("absent_customers", "#1d4ed8", "absent"),
                                  ("absent_b2b_customers", "#c81e1e", "B2B")):
        points = " ".join(f"{x(i):.1f},{y(r[column]):.1f}" for i, r in enumerate(history))
        parts.append(f'<polyline class="series-{label}" fill="none" stroke="{colour}" '
                     f'stroke-width="2" points="{points}"/>')
        for i, r in enumerate(history):
            parts.append(f'<circle cx="{x(i):.1f}" cy="{y(r[column]):.1f}" r="3.5" fill="{colour}">'
                         f'<title>{esc(label)} {r[column]} at {r["as_of"]:%d %b %Y %H:%M}</title></circle>')
    step = max(1, count // 8)
    for i, r in enumerate(history):
        if i % step == 0 or i == count - 1:
            anchor = "start" if i == 0 and count > 1 else "end" if i == count - 1 and count > 1 else "middle"
            parts.append(f'<text x="{x(i):.1f}" y="{height - 22}" text-anchor="{anchor}">'
                         f'{r["as_of"]:%d %b}</text>')
    parts.append(f'<text x="{left}" y="{height - 4}" style="fill:#1d4ed8">● absent customers</text>')
    parts.append(f'<text x="{left + 160}" y="{height - 4}" style="fill:#c81e1e">● absent B2B</text>')
    parts.append("</svg>")
    return "".join(parts)


def cohort_bars(cohorts: list[dict], width: int = 900) -> str:
    bar_h, gap, label_w = 22, 8, 360
    peak = max([c["customers"] for c in cohorts] + [1])
    height = len(cohorts) * (bar_h + gap)
    parts = [f'<svg role="img" aria-label="Absent customers per cohort" width="{width}" '
             f'height="{height}" viewBox="0 0 {width} {height}">']
    for i, c in enumerate(cohorts):
        top = i * (bar_h + gap)
        length = (width - label_w - 270) * c["customers"] / peak  # room for the figures after the bar
        colour = "#c81e1e" if c["customer_type"] == "b2b" else "#1d4ed8"
        parts.append(f'<text x="0" y="{top + 15}">{esc(c["cohort_label"])}</text>')
        parts.append(f'<rect class="cohort-bar" data-cohort="{esc(c["cohort"])}" x="{label_w}" y="{top}" '
                     f'width="{length:.1f}" height="{bar_h}" fill="{colour}"/>')
        parts.append(f'<text x="{label_w + length + 6:.1f}" y="{top + 15}">{c["customers"]} customers, '
                     f'{c["orders_attached"]} orders, {money(c["order_value"])}</text>')
    parts.append("</svg>")
    return "".join(parts)


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
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           "<title>Ecom Customers Absent from Sage</title>", f"<style>{STYLE}</style></head><body>",
           "<h1>Ecom Customers Absent from Sage</h1>",
           f'<p class="meta">Ecommerce customers with orders in the window and no record in the Sage '
           f'customer master. Rendered {dt.datetime.now(dt.timezone.utc):%d %b %Y %H:%M} UTC'
           f'{" from " + esc(source) if source else ""}.</p>']
    for gap in gaps:
        entity = gap["entity_id"]
        out.append(f'<section class="entity" data-entity="{esc(entity or "")}">')
        out.append(f"<h2>{esc(entity or 'Single entity')}: as of {gap['as_of']:%d %b %Y %H:%M} UTC, "
                   f"last {gap['window_days']} days</h2>")
        out.append('<div class="headline">'
                   f'<div><span class="big" id="absent-customers">{gap["absent_customers"]}</span> absent customers</div>'
                   f'<div class="kpi"><b>{gap["absent_b2b_customers"]}</b>B2B</div>'
                   f'<div class="kpi"><b>{gap["absent_dtc_customers"]}</b>DTC</div>'
                   f'<div class="kpi"><b>{gap["orders_attached"]}</b>orders attached</div>'
                   f'<div class="kpi"><b>{money(gap["order_value_attached"])}</b>value attached</div>'
                   f'<div class="kpi"><b>{gap["suspected_duplicates"]}</b>suspected duplicates</div>'
                   f'<div class="kpi"><b>{gap["awaiting_sync"]}</b>awaiting next sync</div>'
                   + (f'<div class="kpi"><b id="rejected-input-rows">{rejected}</b>rejected input rows</div>'
                      if rejected is not None else '')
                   + '</div>')
        fired = alert_messages(gap)
        for kind, text in fired:
            out.append(f'<p class="{kind}">{"ALERT" if kind == "alert" else "Warning"}: {esc(text)}</p>')
        if not fired:
            out.append('<p class="ok">No alert: the gap is within both thresholds.</p>')

        entity_history = [r for r in history if r["entity_id"] == entity]
        earlier = [r for r in entity_history if r["as_of"] < gap["as_of"]]
        if earlier:
            prev = earlier[-1]
            change = gap["absent_customers"] - prev["absent_customers"]
            out.append(f'<p id="change">Since the previous run ({prev["as_of"]:%d %b %Y %H:%M}): absent '
                       f'{prev["absent_customers"]} &rarr; {gap["absent_customers"]} ({change:+d}), B2B '
                       f'{prev["absent_b2b_customers"]} &rarr; {gap["absent_b2b_customers"]}.</p>')
        else:
            out.append('<p id="change">No earlier run recorded.</p>')
        out.append("<h2>Trend</h2>" + trend_svg(entity_history))

        cohorts = rows(con, """select cohort, cohort_label, customer_type, customers, orders_attached, order_value
                               from ecom_sage_customer_gap_cohorts
                               where entity_id is not distinct from ? order by cohort_order""", [entity])
        out.append("<h2>Cohorts</h2>" + cohort_bars(cohorts))

        b2b = rows(con, """select customer_name, cohort, vat_number, orders_in_window, order_value_in_window,
                                  recommended_action
                           from ecom_sage_customer_gap_customers
                           where entity_id is not distinct from ? and customer_type = 'b2b'
                           order by order_value_in_window desc, customer_key""", [entity])
        out.append("<h2>Absent B2B customers: fix these first</h2>")
        if b2b:
            out.append('<table class="b2b"><tr><th>Customer</th><th>Cohort</th><th>VAT number</th>'
                       '<th class="n">Orders</th><th class="n">Value</th><th>Recommended action</th></tr>')
            for r in b2b:
                out.append(f"<tr><td>{esc(r['customer_name'])}</td><td>{esc(r['cohort'])}</td>"
                           f"<td>{esc(r['vat_number'])}</td><td class=\"n\">{r['orders_in_window']}</td>"
                           f"<td class=\"n\">{money(r['order_value_in_window'])}</td>"
                           f"<td>{esc(r['recommended_action'])}</td></tr>")
            out.append("</table>")
        else:
            out.append("<p>None.</p>")

        reasons = rows(con, """select reason, direction, why, customers_affected, orders_affected
                               from ecom_sage_customer_gap_reconciliation
                               where entity_id is not distinct from ? order by reason""", [entity])
        out.append("<h2>Reconciliation: why a manual comparison reads differently</h2>"
                   '<table class="reconciliation"><tr><th>Reason</th><th>Direction</th><th>Why</th>'
                   '<th class="n">Customers</th><th class="n">Orders</th></tr>')
        for r in reasons:
            out.append(f"<tr><td>{esc(r['reason'])}</td><td>{esc(r['direction'])}</td><td>{esc(r['why'])}</td>"
                       f"<td class=\"n\">{r['customers_affected']}</td><td class=\"n\">{r['orders_affected']}</td></tr>")
        out.append("</table></section>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


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
