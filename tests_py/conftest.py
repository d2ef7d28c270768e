"""Shared pytest fixtures for the Python tests that run the real dbt project."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

# Make `import dbt_helpers` work whatever folder pytest is started from.
sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture(scope="session")
def duckdb_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Path of a fresh (not yet created) DuckDB file for this test session."""
    return tmp_path_factory.mktemp("dbt") / "ecom_sage_gap_test.duckdb"
