"""Damaged inputs: one mutation of the demo data each, and what the project must do.

A finance team trusts a green build, so a damaged input may end in only three ways:
- ``Fails``: the build fails with a message that names the file (or var) and the column;
- ``Rejected``: the row is kept in ``ecom_sage_input_rejections`` (source, table, row id,
  column, raw value, reason) and, when it could change the numbers, the test
  ``rejected_input_rows_affecting_the_window`` fails the run;
- ``Identical``: the input only looks different (another timestamp or boolean spelling,
  invisible characters, line endings...) and the eight marts equal the demo's, row for row.
A named data test failing (``FailingTest``) is the fourth, for a broken sync.

Every case copies data/demo, applies its mutation, and builds the project into its own
DuckDB file with ``dbt build`` (a subprocess, like a user's run). The builds run two at a
time from one module fixture; each case is then its own test.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR / "scripts"))
from mart_snapshot import MARTS  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dbt_helpers import connect_read_only  # noqa: E402

DEMO_DIR = PROJECT_DIR / "data" / "demo"
DBT = str(Path(sys.executable).with_name("dbt"))
AS_OF = "2026-04-14T09:00:00Z"
WINDOW_START, WINDOW_END = "2026-04-07T09:00:00Z", AS_OF
REJECTION_TEST = "rejected_input_rows_affecting_the_window"


# --------------------------------------------------------------------------------------
# Editing the demo's CSV files
# --------------------------------------------------------------------------------------

class Demo:
    """A writable copy of the demo data; edits go through the csv module."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, source: str, table: str) -> Path:
        return self.root / source / f"{table}.csv"

    def read(self, source: str, table: str) -> tuple[list[str], list[dict[str, str]]]:
        with open(self.path(source, table), newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            return list(reader.fieldnames or []), list(reader)

    def write(self, source: str, table: str, header: list[str], rows: list[dict[str, str]],
              line_terminator: str = "\n", quoting: int = csv.QUOTE_MINIMAL) -> None:
        with open(self.path(source, table), "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=header, lineterminator=line_terminator, quoting=quoting,
                                    extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)

    def edit(self, source: str, table: str, change: Callable[[list[dict[str, str]]], None]) -> None:
        header, rows = self.read(source, table)
        change(rows)
        self.write(source, table, header, rows)

    def set_cell(self, source: str, table: str, row_id: str, column: str, value: str) -> None:
        """Set one cell of the row whose first column is ``row_id``."""
        header, rows = self.read(source, table)
        matches = [row for row in rows if row[header[0]] == row_id]
        assert len(matches) == 1, f"{source}.{table} has {len(matches)} rows with {header[0]} = {row_id}"
        matches[0][column] = value
        self.write(source, table, header, rows)

    def drop_column(self, source: str, table: str, column: str) -> None:
        header, rows = self.read(source, table)
        self.write(source, table, [name for name in header if name != column], rows)

    def map_column(self, source: str, table: str, column: str, change: Callable[[str], str]) -> None:
        def apply(rows: list[dict[str, str]]) -> None:
            for row in rows:
                row[column] = change(row[column])
        self.edit(source, table, apply)


def _demo_rows(source: str, table: str) -> tuple[list[str], list[dict[str, str]]]:
    return Demo(DEMO_DIR).read(source, table)


def in_window_id(source: str, table: str, created_column: str, **equals: str) -> str:
    """The id of the latest demo row of ``table`` created inside the window (optionally
    with some column values), so a mutation of it surely touches the card."""
    header, rows = _demo_rows(source, table)
    candidates = [
        row for row in rows
        if WINDOW_START < row[created_column] <= WINDOW_END
        and all(row[column] == value for column, value in equals.items())
    ]
    assert candidates, f"no in-window row in {source}.{table}"
    return max(candidates, key=lambda row: row[created_column])[header[0]]


def first_id(source: str, table: str, **equals: str) -> str:
    header, rows = _demo_rows(source, table)
    for row in rows:
        if all(row[column] == value for column, value in equals.items()):
            return row[header[0]]
    raise AssertionError(f"no row of {source}.{table} with {equals}")


SHOPIFY_ORDER = in_window_id("shopify", "order", "created_at")
BIGCOMMERCE_ORDER = in_window_id("bigcommerce", "orders", "date_created")
ADOBE_ORDER = in_window_id("adobe_commerce", "sales_order", "created_at")
SAGE_CUSTOMER = first_id("sage_intacct", "customer", status="active")


# --------------------------------------------------------------------------------------
# Expected outcomes
# --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Fails:
    """The build fails; its output holds every fragment (file or var, column, value)."""

    fragments: tuple[str, ...]

    def __init__(self, *fragments: str) -> None:
        object.__setattr__(self, "fragments", fragments)


@dataclass(frozen=True)
class FailingTest:
    """The build fails because this named data test fails."""

    test_name: str


@dataclass(frozen=True)
class Rejected:
    """The row is published as rejected; ``affects`` = it fails the rejection test."""

    source: str
    table: str
    row_id: str
    column: str
    raw_value: str | None
    affects: bool = True


@dataclass(frozen=True)
class Identical:
    """The build succeeds and the eight marts equal the demo's."""


@dataclass
class Case:
    name: str
    mutate: Callable[[Demo], None]
    expected: Any
    vars: dict[str, Any] = field(default_factory=dict)


def case(name: str, expected: Any, vars: dict[str, Any] | None = None):
    def register(mutate: Callable[[Demo], None]) -> Callable[[Demo], None]:
        CASES.append(Case(name, mutate, expected, vars or {}))
        return mutate
    return register


def no_change(demo: Demo) -> None:
    """The data stays as it is (the case is about a var)."""


CASES: list[Case] = []


# --- files and columns ------------------------------------------------------------------

@case("required column missing: order created_at", Fails("shopify/order.csv", "created_at"))
def _(demo):
    demo.drop_column("shopify", "order", "created_at")


@case("required column missing: Sage email", Fails("sage_intacct/customer.csv", "displaycontact_email_1"))
def _(demo):
    demo.drop_column("sage_intacct", "customer", "displaycontact_email_1")


@case("required column missing: BigCommerce total", Fails("bigcommerce/orders.csv", "total_inc_tax"))
def _(demo):
    demo.drop_column("bigcommerce", "orders", "total_inc_tax")


@case("file missing: Adobe Commerce orders", Fails("adobe_commerce/sales_order.csv", "does not exist"))
def _(demo):
    demo.path("adobe_commerce", "sales_order").unlink()


@case("extra column nobody reads", Identical())
def _(demo):
    header, rows = demo.read("shopify", "order")
    for row in rows:
        row["note"] = "gift, wrapped"
    demo.write("shopify", "order", header + ["note"], rows)


@case("columns in another order", Identical())
def _(demo):
    header, rows = demo.read("sage_intacct", "customer")
    demo.write("sage_intacct", "customer", list(reversed(header)), rows)


@case("every field quoted", Identical())
def _(demo):
    header, rows = demo.read("bigcommerce", "orders")
    demo.write("bigcommerce", "orders", header, rows, quoting=csv.QUOTE_ALL)


@case("Windows line endings", Identical())
def _(demo):
    header, rows = demo.read("shopify", "customer")
    demo.write("shopify", "customer", header, rows, line_terminator="\r\n")


@case("byte-order mark at the start of the file", Identical())
def _(demo):
    path = demo.path("sage_intacct", "customer")
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())


@case("order number #1001 first and an unquoted comma", Fails("shopify/order.csv", "line 2", "too many fields"))
def _(demo):
    # The order name (#1001) becomes the first column, as some exports write it, and
    # the first order's billing company holds an unquoted comma: that row has a field
    # too many. It must fail naming the line, not vanish as a "# comment".
    header, rows = demo.read("shopify", "order")
    order = ["name"] + [column for column in header if column != "name"]
    demo.write("shopify", "order", order, rows)
    path = demo.path("shopify", "order")
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    fields = lines[1].rstrip("\n").split(",")
    assert len(fields) == len(order) and fields[0] == "#1001", lines[1]
    fields[order.index("billing_address_company")] = "Smith, Jones and Co"
    lines[1] = ",".join(fields) + "\n"
    path.write_text("".join(lines), encoding="utf-8")


@case("a row with a field missing", Fails("bigcommerce/customer.csv", "line 3", "too few fields"))
def _(demo):
    path = demo.path("bigcommerce", "customer")
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[2] = lines[2].rstrip("\n").rsplit(",", 1)[0] + "\n"
    path.write_text("".join(lines), encoding="utf-8")


@case("a double quote left open", Fails("sage_intacct/customer.csv", "double quote"))
def _(demo):
    path = demo.path("sage_intacct", "customer")
    text = path.read_text(encoding="utf-8").replace(",C00101,", ',"C00101,', 1)
    path.write_text(text, encoding="utf-8")


@case("bookkeeping columns left out (BigCommerce is_deleted, _fivetran_deleted)", Identical())
def _(demo):
    # Nothing in these columns is true in the demo, so leaving them out means the same.
    for table, column in (("orders", "is_deleted"), ("customer", "_fivetran_deleted")):
        _, rows = demo.read("bigcommerce", table)
        assert not any(row[column].lower() in ("true", "1") for row in rows)
        demo.drop_column("bigcommerce", table, column)


@case("Sage sync column left out, sync time given as a var", Identical(),
      vars={"sage_last_synced_at": "2026-04-14T03:00:00Z"})
def _(demo):
    demo.drop_column("sage_intacct", "customer", "_fivetran_synced")


@case("Shopify orders in the GraphQL-era shape", Identical())
def _(demo):
    header, rows = demo.read("shopify", "order")
    for row in rows:
        row["currency_code"] = row.pop("currency")
        row["total_price_set_shop_amount"] = row.pop("total_price")
        row["total_price_set_shop_currency_code"] = row["currency_code"]
    renamed = [{"currency": "currency_code", "total_price": "total_price_set_shop_amount"}.get(column, column)
               for column in header] + ["total_price_set_shop_currency_code"]
    demo.write("shopify", "order", renamed, rows)
    # The GraphQL-era customer has no _fivetran_deleted: a deleted customer is simply
    # not there, and its orders are guest orders either way.
    customer_header, customers = demo.read("shopify", "customer")
    live = [row for row in customers if row["_fivetran_deleted"] != "true"]
    assert len(live) == len(customers) - 1
    demo.write("shopify", "customer", [c for c in customer_header if c != "_fivetran_deleted"], live)


# --- timestamps ------------------------------------------------------------------------

@case("order time day-first", Rejected("shopify", "order", SHOPIFY_ORDER, "created_at", "13/04/2026 10:00"))
def _(demo):
    demo.set_cell("shopify", "order", SHOPIFY_ORDER, "created_at", "13/04/2026 10:00")


@case("order time empty", Rejected("shopify", "order", SHOPIFY_ORDER, "created_at", None))
def _(demo):
    demo.set_cell("shopify", "order", SHOPIFY_ORDER, "created_at", "")


@case("order time offset with seconds",
      Rejected("shopify", "order", SHOPIFY_ORDER, "created_at", "2026-04-13T10:00:00+02:00:00"))
def _(demo):
    demo.set_cell("shopify", "order", SHOPIFY_ORDER, "created_at", "2026-04-13T10:00:00+02:00:00")


@case("order time with a zone name",
      Rejected("shopify", "order", SHOPIFY_ORDER, "created_at", "2026-04-13T10:00:00 Europe/London"))
def _(demo):
    demo.set_cell("shopify", "order", SHOPIFY_ORDER, "created_at", "2026-04-13T10:00:00 Europe/London")


@case("BigCommerce order time is text",
      Rejected("bigcommerce", "orders", BIGCOMMERCE_ORDER, "date_created", "last Tuesday"))
def _(demo):
    demo.set_cell("bigcommerce", "orders", BIGCOMMERCE_ORDER, "date_created", "last Tuesday")


@case("Adobe order time month 13",
      Rejected("adobe_commerce", "sales_order", ADOBE_ORDER, "created_at", "2026-13-01 10:00:00"))
def _(demo):
    demo.set_cell("adobe_commerce", "sales_order", ADOBE_ORDER, "created_at", "2026-13-01 10:00:00")


@case("Sage modified time unreadable",
      Rejected("sage_intacct", "customer", SAGE_CUSTOMER, "whenmodified", "yesterday"))
def _(demo):
    demo.set_cell("sage_intacct", "customer", SAGE_CUSTOMER, "whenmodified", "yesterday")


@case("Shopify customer time unreadable",
      Rejected("shopify", "customer", first_id("shopify", "customer"), "updated_at", "soon"))
def _(demo):
    demo.set_cell("shopify", "customer", first_id("shopify", "customer"), "updated_at", "soon")


@case("order times Snowflake style (space, +0000, milliseconds)", Identical())
def _(demo):
    demo.map_column("shopify", "order", "created_at",
                    lambda value: value.replace("T", " ").replace("Z", ".000 +0000") if value else value)


@case("order times with +00:00", Identical())
def _(demo):
    demo.map_column("bigcommerce", "orders", "date_created", lambda value: value.replace("Z", "+00:00"))


@case("order times with +0000 and no T", Identical())
def _(demo):
    demo.map_column("adobe_commerce", "sales_order", "created_at",
                    lambda value: value.replace("T", " ").replace("Z", "+0000"))


@case("order times without offset (UTC)", Identical())
def _(demo):
    demo.map_column("shopify", "order", "created_at", lambda value: value.replace("Z", ""))


@case("order times with a trailing space", Identical())
def _(demo):
    demo.map_column("shopify", "order", "created_at", lambda value: value + " " if value else value)


@case("Sage sync times with +HH offset", Identical())
def _(demo):
    demo.map_column("sage_intacct", "customer", "_fivetran_synced",
                    lambda value: value.replace("T03:00:00Z", "T04:00:00+01") if value else value)


# --- booleans --------------------------------------------------------------------------

@case("deleted flag is a word", Rejected("shopify", "order", SHOPIFY_ORDER, "_fivetran_deleted", "deleted"))
def _(demo):
    demo.set_cell("shopify", "order", SHOPIFY_ORDER, "_fivetran_deleted", "deleted")


@case("test flag unknown", Rejected("shopify", "order", SHOPIFY_ORDER, "test", "maybe"))
def _(demo):
    demo.set_cell("shopify", "order", SHOPIFY_ORDER, "test", "maybe")


@case("BigCommerce deleted flag unknown",
      Rejected("bigcommerce", "orders", BIGCOMMERCE_ORDER, "is_deleted", "yes please"))
def _(demo):
    demo.set_cell("bigcommerce", "orders", BIGCOMMERCE_ORDER, "is_deleted", "yes please")


@case("Adobe guest flag unknown",
      Rejected("adobe_commerce", "sales_order", ADOBE_ORDER, "customer_is_guest", "unknown"))
def _(demo):
    demo.set_cell("adobe_commerce", "sales_order", ADOBE_ORDER, "customer_is_guest", "unknown")


@case("Sage deleted flag unknown", Rejected("sage_intacct", "customer", SAGE_CUSTOMER, "_fivetran_deleted", "gone"))
def _(demo):
    demo.set_cell("sage_intacct", "customer", SAGE_CUSTOMER, "_fivetran_deleted", "gone")


@case("address default flag unknown",
      Rejected("shopify", "customer_address", first_id("shopify", "customer_address"), "is_default", "primary"))
def _(demo):
    demo.set_cell("shopify", "customer_address", first_id("shopify", "customer_address"), "is_default", "primary")


@case("booleans as TRUE / FALSE", Identical())
def _(demo):
    demo.map_column("shopify", "order", "test", lambda value: value.upper())
    demo.map_column("sage_intacct", "customer", "_fivetran_deleted", lambda value: value.upper())


@case("booleans as yes / no", Identical())
def _(demo):
    demo.map_column("shopify", "order", "_fivetran_deleted",
                    lambda value: {"true": "yes", "false": "no"}.get(value, value))


@case("booleans as 1 / 0", Identical())
def _(demo):
    demo.map_column("sage_intacct", "sodocument", "_fivetran_deleted",
                    lambda value: {"true": "1", "false": "0"}.get(value, value))


# --- money -----------------------------------------------------------------------------

@case("order total with a currency sign", Rejected("shopify", "order", SHOPIFY_ORDER, "total_price", "£12.00"))
def _(demo):
    demo.set_cell("shopify", "order", SHOPIFY_ORDER, "total_price", "£12.00")


@case("order total with a decimal comma", Rejected("shopify", "order", SHOPIFY_ORDER, "total_price", "12,50"))
def _(demo):
    demo.set_cell("shopify", "order", SHOPIFY_ORDER, "total_price", "12,50")


@case("BigCommerce total n/a", Rejected("bigcommerce", "orders", BIGCOMMERCE_ORDER, "total_inc_tax", "n/a"))
def _(demo):
    demo.set_cell("bigcommerce", "orders", BIGCOMMERCE_ORDER, "total_inc_tax", "n/a")


@case("Adobe total is text", Rejected("adobe_commerce", "sales_order", ADOBE_ORDER, "grand_total", "abc"))
def _(demo):
    demo.set_cell("adobe_commerce", "sales_order", ADOBE_ORDER, "grand_total", "abc")


@case("order after as_of with a bad total: kept, cannot affect the window",
      Rejected("shopify", "order", "9990000000001", "total_price", "TBC", affects=False))
def _(demo):
    header, rows = demo.read("shopify", "order")
    late = dict(rows[-1], id="9990000000001", name="#9999", created_at="2026-04-20T10:00:00Z", total_price="TBC")
    demo.write("shopify", "order", header, rows + [late])


@case("order totals with spaces around", Identical())
def _(demo):
    demo.map_column("bigcommerce", "orders", "total_inc_tax", lambda value: f" {value} ")


# --- text identity ---------------------------------------------------------------------

@case("zero-width space after every Sage email", Identical())
def _(demo):
    demo.map_column("sage_intacct", "customer", "displaycontact_email_1",
                    lambda value: value + "\u200b" if value else value)


@case("no-break spaces around Sage customer ids", Identical())
def _(demo):
    demo.map_column("sage_intacct", "customer", "customerid", lambda value: f"\u00a0{value}\u00a0")


@case("Sage names and emails in decomposed accents (NFD)", Identical())
def _(demo):
    import unicodedata

    for column in ("displaycontact_firstname", "displaycontact_lastname", "displaycontact_email_1", "name"):
        demo.map_column("sage_intacct", "customer", column, lambda value: unicodedata.normalize("NFD", value))


@case("byte-order mark inside Shopify emails", Identical())
def _(demo):
    demo.map_column("shopify", "customer", "email", lambda value: "\ufeff" + value if value else value)


# --- a broken sync ---------------------------------------------------------------------

@case("Sage customer file with a header only", FailingTest("sage_customer_master_is_not_empty"))
def _(demo):
    header, _ = demo.read("sage_intacct", "customer")
    demo.write("sage_intacct", "customer", header, [])


@case("Sage sync three weeks before as_of", FailingTest("sage_sync_is_recent"))
def _(demo):
    demo.map_column("sage_intacct", "customer", "_fivetran_synced",
                    lambda value: "2026-03-24T03:00:00Z" if value else value)


# --- vars ------------------------------------------------------------------------------

@case("gap_as_of is not a timestamp", Fails("gap_as_of", "14/04/2026"), vars={"gap_as_of": "14/04/2026"})
def _(demo):
    no_change(demo)


@case("gap_as_of with a quote", Fails("gap_as_of", "2026-04-14'"), vars={"gap_as_of": "2026-04-14'"})
def _(demo):
    no_change(demo)


@case("gap_as_of on 31 April", Fails("gap_as_of", "2026-04-31"), vars={"gap_as_of": "2026-04-31T09:00:00Z"})
def _(demo):
    no_change(demo)


@case("gap_as_of in another offset (same instant)", Identical(), vars={"gap_as_of": "2026-04-14T10:00:00+01:00"})
def _(demo):
    no_change(demo)


@case("gap_window_days is a word", Fails("gap_window_days", "seven"), vars={"gap_window_days": "seven"})
def _(demo):
    no_change(demo)


@case("gap_scope unknown", Fails("gap_scope", "dtc"), vars={"gap_scope": "dtc"})
def _(demo):
    no_change(demo)


@case("sage_last_synced_at unreadable", Fails("sage_last_synced_at", "last night"),
      vars={"sage_last_synced_at": "last night"})
def _(demo):
    no_change(demo)


@case("fuzzy threshold above 1", Fails("fuzzy_name_similarity_threshold", "92"),
      vars={"fuzzy_name_similarity_threshold": 92})
def _(demo):
    no_change(demo)


@case("block cap zero", Fails("fuzzy_max_block_size", "0"), vars={"fuzzy_max_block_size": 0})
def _(demo):
    no_change(demo)


@case("storefront switch not a boolean", Fails("using_bigcommerce", "sometimes"),
      vars={"using_bigcommerce": "sometimes"})
def _(demo):
    no_change(demo)


@case("rejection severity unknown", Fails("input_rejection_severity", "fatal"),
      vars={"input_rejection_severity": "fatal"})
def _(demo):
    no_change(demo)


@case("B2B tags given as one string", Fails("shopify_b2b_tags", "wholesale"), vars={"shopify_b2b_tags": "wholesale"})
def _(demo):
    no_change(demo)


@case("BigCommerce attribute name with a quote", Identical(), vars={"bigcommerce_vat_number_attribute": "VAT 'Number'"})
def _(demo):
    # The attribute is renamed in the data too: the quote must reach SQL as text.
    demo.map_column("bigcommerce", "customer_attribute", "name",
                    lambda value: "VAT 'Number'" if value == "VAT Number" else value)


# --------------------------------------------------------------------------------------
# Running the cases
# --------------------------------------------------------------------------------------

@dataclass
class Outcome:
    returncode: int
    output: str
    statuses: dict[str, str]
    database: Path


def run_build(work: Path, raw_dir: Path, extra_vars: dict[str, Any]) -> Outcome:
    database = work / "case.duckdb"
    variables = {"gap_as_of": AS_OF, "raw_data_path": str(raw_dir), **extra_vars}
    env = {
        **os.environ,
        "DBT_PROFILES_DIR": str(PROJECT_DIR),
        "ECOM_SAGE_GAP_DUCKDB_PATH": str(database),
        "ECOM_SAGE_GAP_THREADS": "1",
        "ECOM_SAGE_GAP_TEMP_DIRECTORY": str(work / "duckdb_tmp"),
    }
    # Models and seeds, and the tests a damaged input can trip: the singular tests (the
    # broken-sync checks, the marts agreeing) and the rejected-rows test. The other data
    # tests run in test_demo.py; leaving them out here halves each build.
    command = [
        DBT, "build", "--select", "resource_type:model", "resource_type:seed", "test_type:singular",
        REJECTION_TEST, "--exclude", "tag:alert",
        "--project-dir", str(PROJECT_DIR), "--target-path", str(work / "target"),
        "--log-path", str(work / "logs"), "--no-use-colors", "--vars", json.dumps(variables),
    ]
    completed = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    statuses: dict[str, str] = {}
    run_results = work / "target" / "run_results.json"
    if run_results.exists():
        for result in json.loads(run_results.read_text())["results"]:
            statuses[result["unique_id"].split(".")[2]] = result["status"]
    return Outcome(completed.returncode, completed.stdout + completed.stderr, statuses, database)


def marts(database: Path) -> dict[str, list[tuple]]:
    connection = connect_read_only(database)
    try:
        tables = {}
        for mart in MARTS:
            rows = connection.execute(f"select * from {mart}").fetchall()
            tables[mart] = sorted(rows, key=lambda row: tuple((value is None, str(value)) for value in row))
        return tables
    finally:
        connection.close()


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory) -> dict[str, Outcome]:
    """The demo build and every case's build, two at a time."""
    root = tmp_path_factory.mktemp("damaged")

    def prepare_and_run(index: int, item: Case | None) -> tuple[str, Outcome]:
        work = root / f"case{index:02d}"
        raw_dir = work / "raw"
        shutil.copytree(DEMO_DIR, raw_dir, ignore=shutil.ignore_patterns("*.md"))
        if item is None:
            return "baseline", run_build(work, raw_dir, {})
        try:
            item.mutate(Demo(raw_dir))
        except Exception as error:  # reported by the case's own test, not by every case
            return item.name, Outcome(-1, f"the mutation itself failed: {error!r}", {}, work / "none.duckdb")
        return item.name, run_build(work, raw_dir, item.vars)

    jobs = [(0, None)] + [(index + 1, item) for index, item in enumerate(CASES)]
    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(pool.map(lambda job: prepare_and_run(*job), jobs))


def test_cases_are_many_and_distinct():
    names = [item.name for item in CASES]
    assert len(names) == len(set(names)) and len(names) >= 40


def test_baseline_is_the_worked_example(outcomes):
    baseline = outcomes["baseline"]
    assert baseline.returncode == 0, baseline.output[-3000:]
    headline = marts(baseline.database)["ecom_sage_customer_gap"]
    connection = connect_read_only(baseline.database)
    try:
        absent, orders = connection.execute(
            "select absent_customers, orders_attached from ecom_sage_customer_gap").fetchone()
        rejected = connection.execute("select count(*) from ecom_sage_input_rejections").fetchone()[0]
    finally:
        connection.close()
    assert (absent, orders, rejected, len(headline)) == (34, 51, 0, 1)


@pytest.mark.parametrize("item", CASES, ids=[item.name for item in CASES])
def test_damaged_input(outcomes, item: Case):
    outcome = outcomes[item.name]
    expected = item.expected
    tail = outcome.output[-4000:]
    assert not outcome.output.startswith("the mutation itself failed"), outcome.output
    if isinstance(expected, Fails):
        assert outcome.returncode != 0, f"build succeeded; expected a failure naming {expected.fragments}"
        missing = [fragment for fragment in expected.fragments if fragment not in outcome.output]
        assert not missing, f"the failure does not name {missing}:\n{tail}"
    elif isinstance(expected, FailingTest):
        assert outcome.returncode != 0, "build succeeded; expected a failing test"
        assert outcome.statuses.get(expected.test_name) in ("fail", "error"), (
            f"{expected.test_name}: {outcome.statuses.get(expected.test_name)}\n{tail}")
    elif isinstance(expected, Rejected):
        assert outcome.database.exists(), tail
        connection = connect_read_only(outcome.database)
        try:
            rows = connection.execute(
                "select source_name, table_name, row_id, column_name, raw_value, reason, could_affect_window "
                "from ecom_sage_input_rejections").fetchall()
        finally:
            connection.close()
        found = [row for row in rows if row[:5] == (expected.source, expected.table, expected.row_id,
                                                    expected.column, expected.raw_value)]
        assert len(found) == 1 and len(rows) == 1, f"rejections: {rows}"
        assert found[0][6] is expected.affects
        if expected.affects:
            assert outcome.returncode != 0 and outcome.statuses.get(REJECTION_TEST) == "fail", tail
        else:
            assert outcome.returncode == 0 and outcome.statuses.get(REJECTION_TEST) == "pass", tail
            assert marts(outcome.database) == marts(outcomes["baseline"].database)
    else:
        assert isinstance(expected, Identical)
        assert outcome.returncode == 0, tail
        assert marts(outcome.database) == marts(outcomes["baseline"].database)


def test_card_shows_rejected_rows(outcomes):
    """The printed card shows the count of rejected rows, and whether they matter."""
    outcome = outcomes["order total with a currency sign"]
    printed = subprocess.run(
        [sys.executable, str(PROJECT_DIR / "scripts" / "print_card.py"), "--database", str(outcome.database)],
        capture_output=True, text=True, check=True).stdout
    assert "rejected input rows 1   (1 could change these numbers: see ecom_sage_input_rejections)" in printed
