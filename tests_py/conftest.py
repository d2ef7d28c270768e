"""Shared pytest fixtures for the Python tests that run the real dbt project, and how the
tests are shared between pytest-xdist workers (`make pytest` runs two)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

# Make `import dbt_helpers` work whatever folder pytest is started from.
sys.path.insert(0, str(Path(__file__).resolve().parent))
# The mart agreement checks of the end-to-end fixtures are written there: let pytest
# explain a failing assert in them as it does in a test module.
pytest.register_assert_rewrite("e2e_fixture_helpers")

TESTS_DIR = Path(__file__).resolve().parent

# Modules whose tests take longest start first, so the last work unit to finish is a
# short one: a worker that picks up the damaged-input builds (the longest unit) near the
# end leaves the other idle for most of the run. A speed hint only, ordered by pytest's
# `--durations`; the order changes nothing a test sees. Modules not named here follow,
# in collection order.
LONGEST_FIRST = (
    "test_backfill.py",
    "test_damaged_inputs.py",
    "test_any_instant.py",
    "test_incremental.py",
    "test_schedule.py",
    "test_history.py",
    # The end-to-end fixtures, by their time in one two-worker run of the five modules.
    "test_e2e_scope_and_alerts.py",
    "test_e2e_identity.py",
    "test_e2e_duplicates.py",
    "test_e2e_entities.py",
    "test_e2e_sage_master.py",
    "test_raw_input.py",
    "test_demo.py",
    "test_project_modes.py",
)


@pytest.fixture(scope="session")
def duckdb_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Path of a fresh (not yet created) DuckDB file for this test session."""
    return tmp_path_factory.mktemp("dbt") / "ecom_sage_gap_test.duckdb"


def _shared_fixtures(item: pytest.Item) -> set[str]:
    """The project's fixtures this test shares with others: module- or session-scoped
    fixtures defined under tests_py (a dbt build, a generated dataset)."""
    fixture_info = getattr(item, "_fixtureinfo", None)
    if fixture_info is None:
        return set()
    shared = set()
    for name, definitions in fixture_info.name2fixturedefs.items():
        for definition in definitions:
            if definition.scope == "function":
                continue
            code = getattr(definition.func, "__code__", None)
            if code is not None and Path(code.co_filename).resolve().is_relative_to(TESTS_DIR):
                shared.add(f"{definition.scope}:{definition.baseid}:{name}")
    return shared


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under `--dist loadgroup`, give each test an xdist_group: tests that share a
    module- or session-scoped fixture (one dbt build read by many tests) form one group,
    so each build runs once, on one worker; the other tests are free to go anywhere.
    Modules are ordered longest first (LONGEST_FIRST); xdist sends each group to one
    worker as a whole, wherever its tests sit in the order.

    The workers collect the tests: there xdist has turned `dist` to "no" and set
    `loadgroup`, and its own hook (which runs after this one) turns the marks into the
    node ids the controller groups by."""
    if not (getattr(config.option, "loadgroup", False) or getattr(config.option, "dist", "no") == "loadgroup"):
        return
    parent: dict[str, str] = {}

    def find(key: str) -> str:
        while parent.setdefault(key, key) != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    item_fixtures = {}
    for item in items:
        fixtures = _shared_fixtures(item)
        item_fixtures[item.nodeid] = fixtures
        anchor = f"test:{item.nodeid}"
        find(anchor)
        for fixture in fixtures:
            parent[find(fixture)] = find(anchor)

    groups: dict[str, str] = {}
    for item in items:
        root = find(f"test:{item.nodeid}")
        if item_fixtures[item.nodeid]:
            name = groups.setdefault(root, f"{item.path.name}:{len(groups)}")
            item.add_marker(pytest.mark.xdist_group(name=name))

    def rank(item: pytest.Item) -> int:
        name = item.path.name
        return LONGEST_FIRST.index(name) if name in LONGEST_FIRST else len(LONGEST_FIRST)

    # Stable: within a rank, the collection order (and so each group's order) is kept.
    items.sort(key=rank)
