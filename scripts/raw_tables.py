"""The raw input tables (docs/definition/raw-inputs.md), read from the dbt sources YAML.

The layout is declared once, for dbt, in ``models/staging/<source>/_<source>__sources.yml``;
this module derives from it what Python needs (the demo and scale generators write these
headers, the end-to-end fixtures land these tables):

- ``RAW_TABLES``: source -> table -> ordered list of columns, tables and columns in YAML
  order: the columns staging reads, as the REST-era connectors land them. In file mode
  each table is read from ``<raw_data_path>/<source>/<table>.csv``. A table is named by
  its ``name`` (its ``identifier`` is a var whose default is that name).
- ``OPTIONAL_COLUMNS``: bookkeeping columns a landed table may lack (column meta
  ``if_absent``), with the value their absence means (``False``, or ``None`` for NULL).
- ``SHAPE_COLUMNS``: columns another landed shape has instead (column meta
  ``<source>_api`` names the shape, ``read_as`` the column each is read as; Shopify's
  GraphQL-era ``order``). Those columns are not in ``RAW_TABLES``.
- ``landed_columns(source, table, shopify_api)``: the header a table of that shape has.

Two facts are not in the YAML and are written here: the order of the sources (the
documented order: the storefronts, then Sage) and the columns a shape's connector does not land
at all (``SHAPE_LACKS``; each must be optional).

Needs PyYAML: run the generators with the project's virtual environment (make setup).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import yaml

STAGING_DIR = Path(__file__).resolve().parent.parent / "models" / "staging"

# The documented order of the sources; each has models/staging/<source>/_<source>__sources.yml.
SOURCES: tuple[str, ...] = ("shopify", "bigcommerce", "adobe_commerce", "sage_intacct")

# Columns a shape's connector does not land at all (each one optional in the YAML).
SHAPE_LACKS: dict[str, dict[str, dict[str, list[str]]]] = {
    "shopify": {"graphql": {"customer": ["_fivetran_deleted"]}},
}


def _column_meta(column: dict) -> dict:
    return (column.get("config") or {}).get("meta") or {}


def read_sources_yaml(staging_dir: Path = STAGING_DIR) -> dict[str, list[dict]]:
    """source -> its tables as the sources YAML declares them, sources in SOURCES order."""
    found: dict[str, list[dict]] = {}
    for path in sorted(staging_dir.glob("*/_*__sources.yml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for source in document.get("sources") or []:
            name = source["name"]
            if name in found:
                raise ValueError(f"source {name} is declared twice (again in {path})")
            found[name] = source.get("tables") or []
    if set(found) != set(SOURCES):
        raise ValueError(f"the sources YAML declares {sorted(found)}; raw_tables.SOURCES "
                         f"names {sorted(SOURCES)}")
    return {source: found[source] for source in SOURCES}


def _derive(declared: dict[str, list[dict]]):
    raw: dict[str, dict[str, list[str]]] = {}
    optional: dict[str, dict[str, dict[str, bool | None]]] = {}
    shapes: dict[str, dict[str, dict[str, dict[str, str]]]] = {}
    for source, tables in declared.items():
        shape_key = f"{source}_api"
        raw[source] = {}
        for table in tables:
            name = table["name"]
            raw[source][name] = []
            for column in table.get("columns") or []:
                meta = _column_meta(column)
                if "if_absent" in meta:
                    optional.setdefault(source, {}).setdefault(name, {})[column["name"]] = meta["if_absent"]
                if shape_key in meta:
                    shape = shapes.setdefault(source, {}).setdefault(meta[shape_key], {})
                    shape.setdefault(name, {})[column["name"]] = meta["read_as"]
                else:
                    raw[source][name].append(column["name"])
    return raw, optional, shapes


RAW_TABLES: dict[str, dict[str, list[str]]]
OPTIONAL_COLUMNS: dict[str, dict[str, dict[str, bool | None]]]
SHAPE_COLUMNS: dict[str, dict[str, dict[str, dict[str, str]]]]
RAW_TABLES, OPTIONAL_COLUMNS, SHAPE_COLUMNS = _derive(read_sources_yaml())

# Shopify's landed shapes: the REST-era base and every shape the YAML names.
SHOPIFY_APIS: tuple[str, ...] = ("rest", *SHAPE_COLUMNS.get("shopify", {}))


def iter_tables() -> Iterator[tuple[str, str, list[str]]]:
    """Yield ``(source, table, columns)`` for every raw table, in the documented order."""
    for source, tables in RAW_TABLES.items():
        for table, columns in tables.items():
            yield source, table, columns


def columns_of(source: str, table: str) -> list[str]:
    """The ordered columns of one raw table; ``KeyError`` naming it if unknown."""
    try:
        return RAW_TABLES[source][table]
    except KeyError:
        raise KeyError(f"unknown raw table {source}.{table}") from None


def landed_columns(source: str, table: str, shopify_api: str = "rest") -> list[str]:
    """The header of one raw table as a connector of that shape lands it, in order.

    ``rest`` is RAW_TABLES; another shape replaces each column its own columns are read
    as (in place) and leaves out the columns its connector does not land.
    """
    if shopify_api not in SHOPIFY_APIS:
        raise ValueError(f"shopify_api must be one of {SHOPIFY_APIS}, not {shopify_api!r}")
    columns = columns_of(source, table)
    if shopify_api == "rest":
        return list(columns)
    shape = SHAPE_COLUMNS.get(source, {}).get(shopify_api, {}).get(table, {})
    lacks = SHAPE_LACKS.get(source, {}).get(shopify_api, {}).get(table, [])
    landed: list[str] = []
    for column in columns:
        if column in lacks:
            continue
        replacements = [own for own, read_as in shape.items() if read_as == column]
        for own in replacements or [column]:
            if own not in landed:
                landed.append(own)
    return landed


def timestamp_columns(source: str, table: str) -> list[str]:
    """The columns of one raw table the sources YAML parses as timestamps
    (meta ``parse: timestamp``), whatever landed shape declares them."""
    for declared in read_sources_yaml()[source]:
        if declared["name"] == table:
            return [column["name"] for column in declared.get("columns") or []
                    if _column_meta(column).get("parse") == "timestamp"]
    raise KeyError(f"unknown raw table {source}.{table}")
