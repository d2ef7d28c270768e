"""scripts/raw_tables.py derives the raw table layout from the dbt sources YAML.

The layout (docs/definition/raw-inputs.md) is declared once, in
``models/staging/<source>/_<source>__sources.yml``; Python (the demo and scale generators,
the end-to-end fixtures) reads it through ``scripts/raw_tables.py``. These fast tests (no
dbt run) check that the derivation reads the YAML as the raw layout means it: a few tables'
headers as docs/definition/raw-inputs.md names them, the optional columns and what their
absence means,
the columns of the GraphQL-era shape, and tables named by the default of their
``identifier`` var.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
import yaml

PROJECT_DIR = Path(__file__).resolve().parent.parent
STAGING_DIR = PROJECT_DIR / "models" / "staging"

if str(PROJECT_DIR / "scripts") not in sys.path:
    sys.path.insert(0, str(PROJECT_DIR / "scripts"))
from raw_tables import (  # noqa: E402
    OPTIONAL_COLUMNS, RAW_TABLES, SHAPE_COLUMNS, SHAPE_LACKS, SHOPIFY_APIS, iter_tables, landed_columns,
    read_sources_yaml,
)


def _yaml_columns() -> dict[str, dict[str, list[tuple[str, dict]]]]:
    """source -> table -> [(column, column config meta)], as the staging source YAML declares them."""
    return {
        source: {
            table["name"]: [(column["name"], ((column.get("config") or {}).get("meta") or {}))
                            for column in table.get("columns") or []]
            for table in tables
        }
        for source, tables in read_sources_yaml().items()
    }


def test_raw_tables_is_well_formed() -> None:
    assert list(RAW_TABLES) == ["shopify", "bigcommerce", "adobe_commerce", "sage_intacct"]
    tables = list(iter_tables())
    assert len(tables) == 18
    for source, table, columns in tables:
        assert columns, f"{source}.{table} has no columns"
        assert len(set(columns)) == len(columns), f"{source}.{table} repeats a column"


def test_a_few_tables_have_the_documented_layout() -> None:
    """Headers the raw layout names, in its order (tables and columns in YAML order)."""
    assert list(RAW_TABLES["bigcommerce"]) == [
        "customer", "customer_address", "customer_attribute", "customer_attribute_value", "orders"]
    assert RAW_TABLES["sage_intacct"]["sodocument"] == [
        "recordno", "docid", "custvendid", "ponumber", "megaentityid", "whencreated", "state",
        "_fivetran_deleted"]
    assert RAW_TABLES["adobe_commerce"]["company_advanced_customer_entity"] == ["customer_id", "company_id"]
    assert RAW_TABLES["shopify"]["order"][-6:] == [
        "billing_address_last_name", "billing_address_company", "billing_address_zip",
        "billing_address_country_code", "billing_address_phone", "_fivetran_deleted"]
    assert "total_price_set_shop_amount" not in RAW_TABLES["shopify"]["order"], "GraphQL columns are not base"


def test_optional_columns_and_what_their_absence_means() -> None:
    assert OPTIONAL_COLUMNS["shopify"]["customer"] == {"_fivetran_synced": None, "_fivetran_deleted": False}
    assert OPTIONAL_COLUMNS["shopify"]["order"] == {
        "test": False, "_fivetran_deleted": False, "total_price_set_shop_currency_code": None}
    assert OPTIONAL_COLUMNS["bigcommerce"]["orders"] == {"is_deleted": False}
    assert "adobe_commerce" not in OPTIONAL_COLUMNS
    for tables in OPTIONAL_COLUMNS.values():
        for columns in tables.values():
            assert all(value is None or value is False for value in columns.values()), columns


def test_graphql_shape_and_the_columns_it_is_read_as() -> None:
    assert SHOPIFY_APIS == ("rest", "graphql")
    assert SHAPE_COLUMNS == {"shopify": {"graphql": {"order": {
        "currency_code": "currency",
        "total_price_set_shop_amount": "total_price",
        "total_price_set_shop_currency_code": "currency",
    }}}}
    for source, shapes in SHAPE_COLUMNS.items():
        for tables in shapes.values():
            for table, columns in tables.items():
                for name, read_as in columns.items():
                    assert read_as in RAW_TABLES[source][table], f"{source}.{table}.{name} must be read as a base column"
    graphql_order = landed_columns("shopify", "order", "graphql")
    assert graphql_order[graphql_order.index("test") + 1:graphql_order.index("billing_address_first_name")] == [
        "currency_code", "total_price_set_shop_currency_code", "total_price_set_shop_amount"]
    assert landed_columns("shopify", "customer", "graphql") == RAW_TABLES["shopify"]["customer"][:-1]
    with pytest.raises(ValueError):
        landed_columns("shopify", "order", "soap")


def test_tables_are_named_by_the_default_of_their_identifier() -> None:
    """The YAML's identifier is a var whose default is the table name, which is the file
    name the generators write (``<source>/<table>.csv``) and what dbt reads by default."""
    for path in sorted(STAGING_DIR.glob("*/_*__sources.yml")):
        for source in yaml.safe_load(path.read_text(encoding="utf-8"))["sources"]:
            for table in source["tables"]:
                name = table["name"]
                wanted = rf"""\{{\{{ var\('{source["name"]}_{name}_identifier', '{name}'\) \}}\}}"""
                assert re.fullmatch(wanted, table["identifier"]), (source["name"], name, table["identifier"])


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
