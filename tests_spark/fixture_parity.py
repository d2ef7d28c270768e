"""Five end-to-end fixtures built on Spark publish the same eight marts as on DuckDB.

The demo (test_demo_parity.py) is one dataset without most of the trap cases; the
end-to-end fixtures of tests_py/test_e2e_*.py are small hand-made datasets built
around them. Five of them, each built around different rules:

- ``multi_entity``: two Sage entities. Entity visibility of Sage rows (top level,
  RootOnly, private to an entity), stores mapped to entities (an exact store key, the
  `*` row, a store key with spaces), a holding customer in one entity only (its look-
  through per entity) and the multi_entity_master reason.
- ``sage_master``: the Sage side. Inactive-only matches and case-insensitive statuses,
  the holding customer (never a match, documents looked through: trimmed, without '#',
  deleted), Sage email lists, deleted rows, the default B2B precedence (VAT, account
  reference, email), VAT formats, placeholders and invalid numbers, Adobe companies, and
  sync timing against the default sync instant (deleted rows included).
- ``identity``: the storefront side. Guests, deleted records, one customer across
  storefronts, invalid orders (cancelled, test, deleted, statuses) and the window edges
  written with UTC offsets, which Spark parses with its own SQL (`spark__` macros).
- ``fuzzy``: suspected duplicates. Phone normalisation, postcode plus Jaro-Winkler name
  similarity (Spark SQL of its own), phone before name, inactive and holding rows never
  suspects, a billing-address phone, B2B company names folded ('Limited' -> 'Ltd').
- ``swapped``: another precedence seed (DTC: VAT number first, then email) and the
  ``sage_last_synced_at`` var with an offset: orders before, at and after the sync.

For each, the fixture's inputs (``<name>_inputs()`` of its test_e2e_*.py module: the raw
tables, its vars and seed replacements) are written once, as a raw CSV folder and a
project copy with the fixture's seeds (tests_py/e2e_support.py), then built twice as
subprocesses with the same command: `dbt build` of the seeds and models upstream of the
eight marts (the data tests left out, as in test_demo_parity.py: on Spark each costs about
a second), on both engines in the fixture's folder (parity_support.py, which also says
how the marts are compared).

Not named ``test_*.py`` on purpose: `make test-spark` (pytest tests_spark, which CI
runs) does not collect it, since five Spark builds take far longer than CI's budget;
`make test-spark-fixtures` names it. A mart that differs fails, listing the rows only
one engine has.
"""

from __future__ import annotations

import sys

import pytest

from conftest import PARITY_RESULTS
from parity_support import MARTS, PROJECT_DIR, Builds

sys.path.insert(0, str(PROJECT_DIR / "tests_py"))
from e2e_support import DEFAULT_VARS, project_copy  # noqa: E402
from test_e2e_duplicates import fuzzy_inputs  # noqa: E402
from test_e2e_entities import multi_entity_inputs, swapped_inputs  # noqa: E402
from test_e2e_identity import identity_inputs  # noqa: E402
from test_e2e_sage_master import sage_master_inputs  # noqa: E402

INPUTS = {
    "multi_entity": multi_entity_inputs,
    "sage_master": sage_master_inputs,
    "identity": identity_inputs,
    "fuzzy": fuzzy_inputs,
    "swapped": swapped_inputs,
}
FIXTURES = list(INPUTS)


@pytest.fixture(scope="module", params=FIXTURES)
def fixture_build(request, tmp_path_factory) -> tuple[str, Builds]:
    """One fixture written and built on both engines; returns (name, its builds)."""
    name = request.param
    workdir = tmp_path_factory.mktemp(name)
    inputs = INPUTS[name]()
    raw_dir = inputs["data"].write(workdir / "raw", **(inputs.get("write") or {}))
    fixture = Builds(
        workdir, project_copy(workdir, seeds=inputs.get("seeds")),
        {**DEFAULT_VARS, **(inputs.get("vars") or {}), "raw_data_path": str(raw_dir)},
    )
    # The seeds and models the eight marts read.
    selection = ["--select", *[f"+{mart}" for mart in MARTS]]
    duckdb_seconds = fixture.build("duckdb", *selection)
    spark_seconds = fixture.build("spark", *selection)
    PARITY_RESULTS.append(f"{name}: built on DuckDB in {duckdb_seconds:.0f} s, on Spark in {spark_seconds:.0f} s")
    return name, fixture


@pytest.mark.parametrize("mart", MARTS)
def test_fixture_mart_is_the_same_on_spark(fixture_build, spark, mart):
    name, fixture = fixture_build
    fixture.assert_same_mart(spark, mart, f"{name} / {mart}")
