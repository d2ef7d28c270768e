"""The HTML card as a browser lays it out, at a desktop's width and at a phone's.

Builds the demo's models once into this module's own DuckDB file, adds three earlier
runs to its history (1 Mar, 12 and 13 Apr: a true time axis draws the first gap 42
times as wide as the others), publishes it, and opens the publication's card.html in
headless Chromium at 1280 px (desktop) and at 390 px (a phone, laid out as a phone
does, so the page's viewport meta decides its width). At each width the test fails
when any element's box reaches past the page's width, or when a number of the card
(the headline 34, the B2B 7, the orders 51, each cohort's customer count, each absent
B2B customer's name and value) is not visible: no box, outside the page width, hidden,
clipped by a scrolling or hidden-overflow box, or covered by another element. Both
screenshots (the whole page, full height) are kept in the test's tmp folder and copied
to target/test-artifacts/card-in-browser/.

Skipped, saying why, on a machine without Chromium (`apt-get install -y chromium`).
"""

from __future__ import annotations

import shutil
import sys
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from dbt_helpers import PROJECT_DIR, connect_read_only, run_dbt
from headless_chromium import Chromium, find_chromium, png_size

sys.path.insert(0, str(PROJECT_DIR / "scripts"))
import html_card  # noqa: E402
import publish as publisher  # noqa: E402

CHROMIUM = find_chromium()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="no Chromium on this machine (apt-get install -y chromium, or set $CHROMIUM): "
           "the card is not checked in a browser")

DEMO_VARS = {"gap_as_of": "2026-04-14T09:00:00Z"}
MODELS_ONLY = ["build", "--resource-type", "model", "--resource-type", "seed"]
# Earlier runs added to the history: (as_of, absent customers, absent B2B customers).
EARLIER_RUNS = (("2026-03-01 09:00:00", 12, 3), ("2026-04-12 09:00:00", 28, 5), ("2026-04-13 09:00:00", 30, 5))
WIDTHS = {"desktop": (1280, 800, False), "phone": (390, 844, True)}
ARTIFACTS = PROJECT_DIR / "target" / "test-artifacts" / "card-in-browser"

# What the page looks like in the browser: every element box that reaches past the page's
# width, and for each element with a data-figure its text and, when it cannot be seen, why.
MEASURE = r"""
(() => {
  const width = document.documentElement.clientWidth;
  const box = (el) => {
    const r = el.getBoundingClientRect();
    return {tag: el.tagName.toLowerCase(), cls: el.getAttribute('class') || '',
            text: (el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 80),
            left: r.left, right: r.right, top: r.top, width: r.width, height: r.height};
  };
  const overflowing = [];
  for (const el of document.querySelectorAll('body, body *')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.left < -0.5 || r.right > width + 0.5) overflowing.push(box(el));
  }
  const unseen = (el) => {
    const r = el.getBoundingClientRect();
    if (!(r.width > 0 && r.height > 0)) return 'no box';
    if (r.left < -0.5 || r.right > width + 0.5) return 'outside the page width';
    if (!el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})) return 'hidden';
    for (let a = el.parentElement; a; a = a.parentElement) {
      const style = getComputedStyle(a);
      if (style.overflowX !== 'visible' || style.overflowY !== 'visible') {
        const ar = a.getBoundingClientRect();
        if (r.left < ar.left - 0.5 || r.right > ar.right + 0.5 || r.top < ar.top - 0.5 || r.bottom > ar.bottom + 0.5)
          return 'clipped by ' + a.tagName.toLowerCase();
      }
    }
    // The middle of each line the element takes (text that wraps has a box per line).
    for (const line of el.getClientRects()) {
      if (!(line.width > 0 && line.height > 0)) continue;
      const hit = document.elementFromPoint((line.left + line.right) / 2, (line.top + line.bottom) / 2);
      if (!hit || !(hit === el || el.contains(hit))) return 'covered by ' + (hit ? hit.tagName.toLowerCase() : 'nothing');
    }
    return '';
  };
  const figures = [...document.querySelectorAll('[data-figure]')].map((el) => ({
    ...box(el), figure: el.dataset.figure, cohort: el.dataset.cohort || null, unseen: unseen(el)}));
  const centre = (el) => { const r = el.getBoundingClientRect(); return (r.left + r.right) / 2; };
  return {
    clientWidth: width, innerWidth: window.innerWidth,
    scrollWidth: document.documentElement.scrollWidth, scrollHeight: document.documentElement.scrollHeight,
    overflowing, figures,
    points: [...document.querySelectorAll('circle.point-absent')].map(centre),
    ticks: [...document.querySelectorAll('line.tick')].map((el) => ({at: el.dataset.at, x: centre(el)})),
  };
})()
"""


@dataclass
class Card:
    database: Path
    page: Path


def add_earlier_runs(database: Path) -> None:
    """Three earlier runs in the history: copies of the build's row with other counts."""
    con = duckdb.connect(str(database))
    try:
        for as_of, absent, b2b in EARLIER_RUNS:
            con.execute(f"""
                insert into marts.ecom_sage_customer_gap_history by name
                select * replace (timestamp '{as_of}' as as_of, {absent}::bigint as absent_customers,
                                  {b2b}::bigint as absent_b2b_customers, {absent - b2b}::bigint as absent_dtc_customers)
                from marts.ecom_sage_customer_gap_history where as_of = timestamp '2026-04-14 09:00:00'""")
    finally:
        con.close()


def publish_card(database: Path, folder: Path) -> Card:
    publication = publisher.publish(database, folder)
    return Card(database=database, page=publication.path / "card.html")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    database = tmp_path_factory.mktemp("card_in_browser") / "card.duckdb"
    run_dbt(MODELS_ONLY, database, vars=DEMO_VARS)
    add_earlier_runs(database)
    return database


@pytest.fixture(scope="module")
def card(built: Path) -> Card:
    return publish_card(built, built.parent / "publish")


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory):
    with Chromium(CHROMIUM, tmp_path_factory.mktemp("chromium") / "profile") as chromium:
        yield chromium


def look(browser: Chromium, page: Path, width: int, height: int, mobile: bool, screenshot: Path | None = None) -> dict:
    """Open ``page`` in a ``width`` x ``height`` window, then make the window as tall as the
    page (so every element can be hit and the screenshot holds the whole card), measure,
    and take the screenshot."""
    browser.viewport(width, height, mobile)
    browser.open(page.resolve().as_uri())
    full_height = browser.evaluate("document.documentElement.scrollHeight")
    browser.viewport(width, max(height, full_height), mobile)
    layout = browser.evaluate(MEASURE)
    if screenshot is not None:
        browser.screenshot(screenshot)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        shutil.copy2(screenshot, ARTIFACTS / screenshot.name)
    return layout


def problems(layout: dict, width: int) -> list[str]:
    found = []
    if layout["clientWidth"] != width:
        found.append(f"the page is laid out {layout['clientWidth']} px wide in a {width} px window")
    if layout["scrollWidth"] > layout["clientWidth"]:
        found.append(f"the page scrolls sideways: {layout['scrollWidth']} px of content")
    for element in layout["overflowing"]:
        found.append(f"<{element['tag']} class='{element['cls']}'> {element['text']!r} spans "
                     f"{element['left']:.0f}..{element['right']:.0f} px")
    for figure in layout["figures"]:
        if figure["unseen"]:
            found.append(f"{figure['figure']} {figure['text']!r} cannot be seen: {figure['unseen']}")
    return found


def expected_figures(database: Path) -> dict[str, list[str]]:
    """The texts the card must show, from the marts: figure name -> texts in page order."""
    con = connect_read_only(database)
    try:
        gap = con.execute("select absent_customers, absent_b2b_customers, orders_attached "
                          "from ecom_sage_customer_gap").fetchone()
        cohorts = con.execute("select cohort, customers from ecom_sage_customer_gap_cohorts "
                              "order by cohort_order").fetchall()
        b2b = con.execute("""
            select customers.customer_name, orders.currency, customers.order_value_in_window
            from ecom_sage_customer_gap_customers as customers
            inner join (select distinct entity_id, customer_key, currency from ecom_sage_customer_gap_orders) as orders
                on orders.entity_id is not distinct from customers.entity_id
                and orders.customer_key = customers.customer_key
            where customers.customer_type = 'b2b'
            order by customers.order_value_in_window desc, customers.customer_key""").fetchall()
    finally:
        con.close()
    assert gap == (34, 7, 51), "the demo is the card's worked example"
    assert len(b2b) == 7
    return {
        "absent-customers": [str(gap[0])],
        "absent-b2b": [str(gap[1])],
        "orders-attached": [str(gap[2])],
        "cohort-customers": [f"{cohort}={customers}" for cohort, customers in cohorts],
        "customer-name": [" ".join(name.split()) for name, _, _ in b2b],
        "customer-value": [f"{currency} {value:,.2f}" for _, currency, value in b2b],
    }


def shown_figures(layout: dict) -> dict[str, list[str]]:
    shown: dict[str, list[str]] = {}
    for figure in layout["figures"]:
        text = f"{figure['cohort']}={figure['text']}" if figure["figure"] == "cohort-customers" else figure["text"]
        shown.setdefault(figure["figure"], []).append(text)
    return shown


@pytest.mark.parametrize("device", WIDTHS)
def test_card_fits_the_width_and_shows_every_number(card: Card, browser: Chromium, device: str,
                                                    tmp_path: Path) -> None:
    width, height, mobile = WIDTHS[device]
    screenshot = tmp_path / f"card-{device}-{width}px.png"
    layout = look(browser, card.page, width, height, mobile, screenshot)
    assert problems(layout, width) == [], f"at {width} px (screenshot {screenshot})"
    shown = shown_figures(layout)
    for figure, texts in expected_figures(card.database).items():
        assert shown.get(figure) == texts, figure
    # The screenshot is the whole card: the page's full width and height.
    assert png_size(screenshot) == (width, layout["scrollHeight"])


def test_trend_places_each_run_by_its_date(card: Card, browser: Chromium) -> None:
    width, height, mobile = WIDTHS["phone"]
    layout = look(browser, card.page, width, height, mobile)
    first, second, third, fourth = layout["points"]  # 1 Mar, 12, 13 and 14 Apr, 09:00 each
    day = (fourth - third)
    assert day > 0 and abs((third - second) - day) < 0.5
    assert abs((second - first) - 42 * day) < 1.5, "1 Mar -> 12 Apr is 42 days wide"
    assert layout["ticks"], "the axis has date labels"
    for tick in layout["ticks"]:  # each date label sits where its date falls
        days = (html_card.dt.datetime.fromisoformat(tick["at"].rstrip("Z"))
                - html_card.dt.datetime(2026, 3, 1, 9)).total_seconds() / 86400
        assert abs(tick["x"] - (first + days * day)) < 1.5, tick


def test_the_check_catches_a_card_that_does_not_fit(card: Card, browser: Chromium, tmp_path: Path) -> None:
    # The old failures on purpose: no viewport meta, a chart fixed at 900 px, a table that
    # scrolls sideways, a hidden figure. The checks above must see each of them.
    page = card.page.read_text(encoding="utf-8")
    broken = page.replace('<meta name="viewport" content="width=device-width, initial-scale=1">', "")
    assert broken != page
    width, height, mobile = WIDTHS["phone"]
    found = problems(look(browser, write(tmp_path / "no_viewport.html", broken), width, height, mobile), width)
    assert any("laid out 980 px wide" in problem for problem in found), found

    broken = page.replace("</style>", "svg.trend-chart { width: 900px; min-width: 900px; }\n"
                                      ".b2b-scroll { overflow-x: auto; }\n"
                                      "table.b2b { min-width: 900px; }\n"
                                      "[data-figure='absent-b2b'] { visibility: hidden; }\n</style>")
    broken = broken.replace('<table class="b2b reflow">', '<div class="b2b-scroll"><table class="b2b">')
    broken = broken.replace("</tbody>\n</table>\n<h3>Reconciliation", "</tbody>\n</table></div>\n<h3>Reconciliation")
    found = problems(look(browser, write(tmp_path / "fixed_width.html", broken), width, height, mobile), width)
    text = "\n".join(found)
    assert "<svg class='trend-chart'>" in text, text
    assert "absent-b2b '7' cannot be seen: hidden" in text, text
    assert "customer-value" in text, text
    assert "clipped by div" in text or "outside the page width" in text, text


def test_mixed_currencies_are_shown_apart_not_summed(built: Path, browser: Chromium, tmp_path: Path) -> None:
    # One B2B customer's orders in euros: the entity, its cohort and the customer show
    # each currency's figure; nothing adds euros to pounds.
    database = tmp_path / "mixed.duckdb"
    shutil.copy2(built, database)
    con = duckdb.connect(str(database))
    try:
        key, value = con.execute("select customer_key, order_value_in_window from marts.ecom_sage_customer_gap_customers "
                                 "where customer_name = 'Rhein Handel GmbH'").fetchone()
        con.execute("update marts.ecom_sage_customer_gap_orders set currency = 'EUR' where customer_key = ?", [key])
        total = con.execute("select order_value_attached from marts.ecom_sage_customer_gap").fetchone()[0]
    finally:
        con.close()
    mixed = publish_card(database, tmp_path / "publish")
    text = " ".join(mixed.page.read_text(encoding="utf-8").split())
    pounds = f"GBP {Decimal(total) - Decimal(value):,.2f}"
    assert f'data-figure="value-attached">EUR {value:,.2f} + {pounds}</span> <span class="note">' \
           f"(mixed currencies, not summed)" in text
    assert f'data-figure="customer-value">EUR {value:,.2f}</span>' in text
    assert f"{total:,.2f}" not in text, "the sum of euros and pounds is shown nowhere"
    width, height, mobile = WIDTHS["phone"]
    screenshot = tmp_path / f"card-mixed-currencies-phone-{width}px.png"
    assert problems(look(browser, mixed.page, width, height, mobile, screenshot), width) == []


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path
