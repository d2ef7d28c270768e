"""The end-to-end fixtures and a damaged demo, landed in PostgreSQL and built there in
warehouse mode, publish the same marts as on DuckDB in file mode.

Datasets:

- the nine fixtures whose data the end-to-end tests write with plain ``<name>_inputs()``
  functions (tests_py/test_e2e_*.py; what the first five are built around is listed in
  tests_spark/fixture_parity.py): ``multi_entity``, ``sage_master``, ``identity``,
  ``fuzzy``, ``swapped``, and the sibling cards' ``vat_mismatch``, ``vat_variants``,
  ``sage_orders`` and ``match_rate``, each with its vars and field-map seeds;
- ``damaged``: the demo with every damage of tests_py/test_damaged_inputs.py that the
  project must either reject row by row or read as the same card (unreadable times,
  month 13, currency signs and decimal commas in totals, unknown boolean words,
  timestamps in other shapes, invisible characters, decomposed accents, another
  Shopify shape, columns left out...), applied together, plus a few traps of this
  check's own (below). Such values cannot sit in a typed column, so those columns land
  as text, as a file connector lands them (scripts/postgres_landing.py), and PostgreSQL
  must reject the same rows, with the same reasons, as DuckDB.

Each dataset is built with the seeds and models upstream of the compared tables, on both
engines at once (pg_support.Builds); the data tests are left out, since a damaged
dataset fails the rejection test by design and the demo's build already runs them on
PostgreSQL (test_demo_parity.py). Compared: the eight marts and ecom_sage_input_rejections.
"""

from __future__ import annotations

import shutil
import sys
import unicodedata

import pytest

from conftest import PARITY_RESULTS
from pg_support import COMPARED, PROJECT_DIR, Builds

sys.path.insert(0, str(PROJECT_DIR / "tests_py"))
import test_damaged_inputs as damaged  # noqa: E402
from e2e_support import DEFAULT_VARS, project_copy  # noqa: E402
from test_e2e_duplicates import fuzzy_inputs  # noqa: E402
from test_e2e_entities import multi_entity_inputs, swapped_inputs  # noqa: E402
from test_e2e_identity import identity_inputs  # noqa: E402
from test_e2e_sage_master import sage_master_inputs  # noqa: E402
from test_e2e_siblings import (  # noqa: E402
    match_rate_inputs,
    sage_orders_inputs,
    vat_mismatch_inputs,
    vat_variants_inputs,
)

INPUTS = {
    "multi_entity": multi_entity_inputs,
    "sage_master": sage_master_inputs,
    "identity": identity_inputs,
    "fuzzy": fuzzy_inputs,
    "swapped": swapped_inputs,
    "vat_mismatch": vat_mismatch_inputs,
    "vat_variants": vat_variants_inputs,
    "sage_orders": sage_orders_inputs,
    "match_rate": match_rate_inputs,
}
DATASETS = [*INPUTS, "damaged"]


def more_traps(demo: damaged.Demo) -> None:
    """Values where a portable rule is easily another rule: text that only looks the
    same, letters outside ASCII in upper case, whitespace other than spaces inside a
    value, a non-numeric order id among numeric ones."""
    def every(step: int, change):
        return lambda rows: [change(row) for index, row in enumerate(rows) if index % step == 0]

    # A left-to-right mark after a Shopify email, an upper-case accented email on Sage.
    demo.edit("shopify", "customer", every(5, lambda row: row.update(email=row["email"] + "\u200e")))
    demo.edit("sage_intacct", "customer", every(7, lambda row: row.update(
        displaycontact_email_1=row["displaycontact_email_1"].upper(),
        displaycontact_lastname=row["displaycontact_lastname"].upper() + "\u0218",
    )))
    # Tabs and no-break spaces inside postcodes and VAT numbers.
    demo.edit("sage_intacct", "customer", every(3, lambda row: row.update(
        displaycontact_mailaddress_zip=row["displaycontact_mailaddress_zip"].replace(" ", "\t"),
        taxid=row["taxid"].replace(" ", "\u00a0"),
    )))
    # Names spelt with decomposed letters and letters without a decomposition.
    demo.edit("shopify", "customer", every(4, lambda row: row.update(
        first_name=unicodedata.normalize("NFD", row["first_name"] + "é"),
        last_name=row["last_name"] + "ø",
    )))
    # A BigCommerce order id that is no number, created at the same instant as another order.
    header, rows = demo.read("bigcommerce", "orders")
    twin = dict(rows[-1], id="A-100")
    demo.write("bigcommerce", "orders", header, rows + [twin])


# The damages of tests_py/test_damaged_inputs.py that change a file's layout, not its values.
LAYOUT_CASES = [
    "extra column nobody reads",
    "every field quoted",
    "Windows line endings",
    "bookkeeping columns left out (BigCommerce is_deleted, _fivetran_deleted)",
    "Shopify orders in the GraphQL-era shape",
    "columns in another order",
    "byte-order mark at the start of the file",
]


def damaged_demo(folder) -> None:
    """The demo with every damage that is rejected or read as the same card."""
    shutil.copytree(PROJECT_DIR / "data" / "demo", folder)
    demo = damaged.Demo(folder)
    applied = [case for case in damaged.CASES
               if isinstance(case.expected, (damaged.Rejected, damaged.Identical)) and not case.vars]
    # Values first, then the changes of a file's layout (a cell is found by the first
    # column, and the columns it names must still be there), the byte-order mark last
    # (the csv module would keep it in the header it rewrites).
    values = [case for case in applied if case.name not in LAYOUT_CASES]
    layout = sorted((case for case in applied if case.name in LAYOUT_CASES),
                    key=lambda case: LAYOUT_CASES.index(case.name))
    assert len(layout) == len(LAYOUT_CASES), "a layout case of test_damaged_inputs.py was renamed"
    for case in values:
        case.mutate(demo)
    more_traps(demo)
    for case in layout:
        case.mutate(demo)


@pytest.fixture(scope="module", params=DATASETS)
def dataset_builds(request, postgres, tmp_path_factory) -> Builds:
    name = request.param
    workdir = tmp_path_factory.mktemp(name)
    if name == "damaged":
        raw_dir = workdir / "raw"
        damaged_demo(raw_dir)
        project_dir, dbt_vars = PROJECT_DIR, dict(DEFAULT_VARS)
    else:
        inputs = INPUTS[name]()
        raw_dir = inputs["data"].write(workdir / "raw", **(inputs.get("write") or {}))
        project_dir = project_copy(workdir, seeds=inputs.get("seeds"))
        dbt_vars = {**DEFAULT_VARS, **(inputs.get("vars") or {})}
    builds = Builds(postgres, workdir, name, raw_dir, project_dir, dbt_vars)
    builds.land()
    selection = ["--select", *[f"+{mart}" for mart in COMPARED], "--resource-type", "seed", "--resource-type", "model"]
    seconds = builds.build_both(*selection)
    PARITY_RESULTS.append(
        f"{name}: built on PostgreSQL in {seconds['postgres']:.0f} s and on DuckDB in {seconds['duckdb']:.0f} s,"
        f" side by side; typed columns landed as text: {len(builds.text_columns())}")
    return builds


@pytest.mark.parametrize("mart", COMPARED)
def test_mart_is_the_same_on_postgres(dataset_builds, mart):
    same, line = dataset_builds.compare_mart(mart)
    PARITY_RESULTS.append(line.splitlines()[0])
    assert same, line


def test_damaged_values_are_rejected_on_postgres(dataset_builds):
    """On the damaged demo, PostgreSQL publishes rejected rows (the comparison above says
    they are DuckDB's): bad money and impossible dates are rows, not a failed build."""
    if dataset_builds.name != "damaged":
        pytest.skip("only the damaged demo holds unreadable values")
    columns, rows = dataset_builds.postgres_rows("marts.ecom_sage_input_rejections")
    rejected = {(row[columns.index("column_name")], row[columns.index("raw_value")]) for row in rows}
    assert ("total_price", "£12.00") in rejected or ("total_price", "12,50") in rejected
    assert ("created_at", "2026-13-01 10:00:00") in rejected
    assert any(column == "grand_total" for column, _ in rejected)
    assert dataset_builds.text_columns(), "the damaged values should have landed in text columns"
