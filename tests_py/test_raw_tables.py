"""The dbt source YAML and scripts/raw_tables.py declare the same raw table layout.

The raw input tables (contract sections 1 and 5) are written out twice: for dbt in
``models/staging/<source>/_<source>__sources.yml`` and for Python (the demo generator and
the end-to-end fixtures) in ``scripts/raw_tables.py``. This fast test (no dbt run) fails
as soon as the two disagree on a source, a table, a column or their order, on which
columns are optional (column meta ``if_absent``) and what their absence means, or on the
columns of another landed shape (column meta ``<source>_api`` + ``read_as``).
"""

from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path

import pytest
import yaml

PROJECT_DIR = Path(__file__).resolve().parent.parent
STAGING_DIR = PROJECT_DIR / "models" / "staging"

if str(PROJECT_DIR / "scripts") not in sys.path:
    sys.path.insert(0, str(PROJECT_DIR / "scripts"))
from raw_tables import (  # noqa: E402
    OPTIONAL_COLUMNS, RAW_TABLES, SHAPE_COLUMNS, SHAPE_LACKS, SHOPIFY_APIS, iter_tables, landed_columns,
)

SOURCE_FILES = sorted(STAGING_DIR.glob("*/_*__sources.yml"))


@lru_cache(maxsize=None)
def _yaml_columns() -> dict[str, dict[str, list[tuple[str, dict]]]]:
    """source -> table -> [(column, column config meta)], as the staging source YAML declares them."""
    declared: dict[str, dict[str, list[tuple[str, dict]]]] = {}
    for path in SOURCE_FILES:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        for source in document.get("sources") or []:
            name = source["name"]
            assert name not in declared, f"source {name} declared twice (again in {path})"
            assert path.parent.name == name and path.name == f"_{name}__sources.yml", (
                f"source {name} is declared in {path.relative_to(PROJECT_DIR)}")
            declared[name] = {
                table["name"]: [
                    (column["name"], ((column.get("config") or {}).get("meta") or {}))
                    for column in table.get("columns") or []
                ]
                for table in source.get("tables") or []
            }
    return declared


def _yaml_layout() -> dict[str, dict[str, list[str]]]:
    """source -> table -> the base-shape columns (no ``<source>_api`` meta), in YAML order."""
    return {
        source: {
            table: [name for name, meta in columns if f"{source}_api" not in meta]
            for table, columns in tables.items()
        }
        for source, tables in _yaml_columns().items()
    }


def test_every_source_has_a_sources_file() -> None:
    found = {path.parent.name for path in SOURCE_FILES}
    assert found == set(RAW_TABLES), (
        f"sources YAML files for {sorted(found)}, raw_tables.py has {sorted(RAW_TABLES)}")


def test_yaml_sources_and_tables_match_raw_tables() -> None:
    layout = _yaml_layout()
    assert set(layout) == set(RAW_TABLES)
    for source, tables in RAW_TABLES.items():
        assert list(layout[source]) == list(tables), (
            f"{source}: tables in YAML {list(layout[source])} != raw_tables.py {list(tables)}")


@pytest.mark.parametrize(
    ("source", "table", "columns"),
    list(iter_tables()),
    ids=[f"{source}.{table}" for source, table, _ in iter_tables()],
)
def test_yaml_columns_match_raw_tables(source: str, table: str, columns: list[str]) -> None:
    yaml_columns = _yaml_layout().get(source, {}).get(table)
    assert yaml_columns is not None, f"{source}.{table} is not declared in the sources YAML"
    assert yaml_columns == columns, (
        f"{source}.{table}: YAML columns {yaml_columns} != raw_tables.py {columns}")


def test_raw_tables_is_well_formed() -> None:
    assert list(RAW_TABLES) == ["shopify", "bigcommerce", "adobe_commerce", "sage_intacct"]
    tables = list(iter_tables())
    assert len(tables) == 18
    for source, table, columns in tables:
        assert columns, f"{source}.{table} has no columns"
        assert len(set(columns)) == len(columns), f"{source}.{table} repeats a column"


def test_optional_columns_match_raw_tables() -> None:
    """Columns with meta ``if_absent`` and the values their absence means."""
    declared = {
        source: {
            table: {name: meta["if_absent"] for name, meta in columns if "if_absent" in meta}
            for table, columns in tables.items()
        }
        for source, tables in _yaml_columns().items()
    }
    declared = {source: {t: c for t, c in tables.items() if c} for source, tables in declared.items()}
    declared = {source: tables for source, tables in declared.items() if tables}
    assert declared == OPTIONAL_COLUMNS
    for tables in OPTIONAL_COLUMNS.values():
        for columns in tables.values():
            assert all(value is None or value is False for value in columns.values()), columns


def test_shape_columns_match_raw_tables() -> None:
    """Columns of another landed shape (meta ``<source>_api``) and the column each is read as."""
    declared: dict[str, dict[str, dict[str, dict[str, str]]]] = {}
    for source, tables in _yaml_columns().items():
        for table, columns in tables.items():
            base = {name for name, meta in columns if f"{source}_api" not in meta}
            for name, meta in columns:
                shape = meta.get(f"{source}_api")
                if shape is None:
                    continue
                assert meta.get("read_as") in base, f"{source}.{table}.{name} must be read as a base column"
                declared.setdefault(source, {}).setdefault(shape, {}).setdefault(table, {})[name] = meta["read_as"]
    assert declared == SHAPE_COLUMNS
    assert set(declared["shopify"]) == set(SHOPIFY_APIS) - {"rest"}


@pytest.mark.parametrize("shopify_api", SHOPIFY_APIS)
def test_landed_layouts_hold_every_required_column(shopify_api: str) -> None:
    """What the fixtures write for each Shopify shape is what dbt requires of that shape."""
    for table, columns in _yaml_columns()["shopify"].items():
        landed = landed_columns("shopify", table, shopify_api)
        provided = {meta["read_as"] for _, meta in columns if meta.get("shopify_api") == shopify_api}
        for name, meta in columns:
            if meta.get("shopify_api", "rest") != shopify_api and "shopify_api" in meta:
                assert name not in landed, f"{table}.{name} belongs to another shape"
                continue
            if "shopify_api" not in meta and name in provided:
                assert name not in landed, f"{table}.{name} is read from {shopify_api} columns"
                continue
            if "if_absent" not in meta:
                assert name in landed, f"{shopify_api} {table} lacks required column {name}"
    for source, shapes in SHAPE_LACKS.items():
        for shape, tables in shapes.items():
            for table, lacking in tables.items():
                for name in lacking:
                    assert name in OPTIONAL_COLUMNS[source][table], f"{shape} lacks {table}.{name}: it must be optional"
                    assert name not in landed_columns(source, table, shape)
