"""Land a raw CSV folder in PostgreSQL as Fivetran's connectors land the four systems.

The project's file mode reads ``DIR/<source>/<table>.csv`` with every column as text; in
a warehouse the same tables arrive typed, one schema per connector. This module writes
such a warehouse from a raw folder (the demo, an end-to-end fixture, a scale dataset),
so that a build in warehouse mode (``--vars '{raw_data_path: ""}'``) reads what a team's
warehouse holds, and its marts can be compared with DuckDB's file-mode build of the same
folder:

- one schema per source (``shopify``, ``bigcommerce``, ``adobe_commerce``,
  ``sage_intacct``), one table per CSV, named as the file, columns as its header;
- the columns the sources YAML parses (column meta ``parse``) typed as the connectors
  type them: timestamps ``timestamptz``, booleans ``boolean``, money ``numeric``;
- ids ``bigint`` where the connector's source system numbers them
  (``INTEGER_COLUMNS``), text otherwise (Sage customer ids, Adobe increment ids);
- an empty cell is null, as a connector lands a missing value.

A typed column can hold only values of its type. When a dataset holds a value the
column's type cannot (``£12.00`` as a total, ``2026-13-01`` as a date, ``A-100`` as a
numeric id, ``0042``, which a bigint would read as 42), the whole column lands as text
for that dataset, as a file connector or a custom field lands text it cannot type, and
the report names it: the value must reach the build as it was written, to be rejected
there (or read as the same text) as file mode does. Nothing is dropped, rounded or
read as another value while landing. Each value is checked in Python with the rules the
project's macros read it by, so no value reaches a typed column in a form PostgreSQL
would read differently (``10/04/2026`` is never cast by PostgreSQL's lenient parser).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from pathlib import Path

from raw_tables import SOURCES, read_sources_yaml

# Columns the source systems number with integers, as the connectors land them (bigint).
INTEGER_COLUMNS: dict[str, dict[str, tuple[str, ...]]] = {
    "shopify": {
        "customer": ("id",),
        "customer_address": ("id", "customer_id"),
        "customer_tag": ("customer_id", "index"),
        "metafield": ("id", "owner_id"),
        "order": ("id", "customer_id"),
    },
    "bigcommerce": {
        "customer": ("id", "customer_group_id"),
        "customer_address": ("id", "customer_id"),
        "customer_attribute": ("id",),
        "customer_attribute_value": ("id", "customer_id", "attribute_id"),
        "orders": ("id", "customer_id", "status_id", "channel_id"),
    },
    "adobe_commerce": {
        "customer_entity": ("entity_id", "website_id", "group_id"),
        "customer_address_entity": ("entity_id", "parent_id"),
        "company": ("entity_id", "status"),
        "company_advanced_customer_entity": ("customer_id", "company_id"),
        "sales_order": ("entity_id", "store_id", "customer_id"),
        "sales_order_address": ("entity_id", "parent_id"),
    },
    "sage_intacct": {
        "customer": ("recordno",),
        "sodocument": ("recordno",),
    },
}

# What each parse rule of the sources YAML lands as.
PARSE_TYPES = {"timestamp": "timestamptz", "boolean": "boolean", "money": "numeric"}

# The text shapes parse_timestamp_utc accepts (macros/normalisation/parse_timestamp_utc.sql).
_TIMESTAMP = re.compile(
    r"^([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:[.]([0-9]+))?)?"
    r"(?: ?(Z|([+-])([0-9]{2})(?::?([0-9]{2}))?))?)?$"
)
_BOOLEANS = {"true": "true", "1": "true", "t": "true", "yes": "true", "y": "true",
             "false": "false", "0": "false", "f": "false", "no": "false", "n": "false"}
_MONEY = re.compile(r"^[+-]?([0-9]{1,16}([.][0-9]*)?|[.][0-9]+)$")
_INTEGER = re.compile(r"^(0|-?[1-9][0-9]{0,18})$")


def _timestamp(text: str) -> str | None:
    """The instant as an ISO text with offset, or None when it is no instant the
    project reads (wrong shape, month 13, an offset PostgreSQL cannot hold, more than
    microseconds)."""
    match = _TIMESTAMP.match(text.strip().upper())
    if not match:
        return None
    year, month, day, hour, minute, second, fraction, zone, sign, offset_hours, offset_minutes = match.groups()
    if fraction and len(fraction) > 6:
        return None
    try:
        wall_clock = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0),
                              int(second or 0), int((fraction or "").ljust(6, "0")))
    except ValueError:
        return None
    offset = timedelta(0)
    if zone and zone != "Z":
        offset = timedelta(hours=int(offset_hours), minutes=int(offset_minutes or 0))
        if offset >= timedelta(hours=16) or int(offset_minutes or 0) > 59:
            return None
        offset = -offset if sign == "-" else offset
    return wall_clock.replace(tzinfo=timezone(offset)).isoformat()


def _boolean(text: str) -> str | None:
    return _BOOLEANS.get(text.strip().lower())


def _money(text: str) -> str | None:
    text = text.strip()
    if not _MONEY.match(text):
        return None
    try:
        return str(Decimal(text))
    except InvalidOperation:
        return None


def _integer(text: str) -> str | None:
    return text if _INTEGER.match(text) and abs(int(text)) < 2**63 else None


_CONVERTERS = {"timestamptz": _timestamp, "boolean": _boolean, "numeric": _money, "bigint": _integer}


def connector_types() -> dict[str, dict[str, dict[str, str]]]:
    """source -> table -> column -> the type its connector lands it as (text unless said)."""
    types: dict[str, dict[str, dict[str, str]]] = {}
    for source, tables in read_sources_yaml().items():
        for table in tables:
            columns = types.setdefault(source, {}).setdefault(table["name"], {})
            for column in table.get("columns") or []:
                meta = (column.get("config") or {}).get("meta") or {}
                if meta.get("parse") in PARSE_TYPES:
                    columns[column["name"]] = PARSE_TYPES[meta["parse"]]
            for column in INTEGER_COLUMNS.get(source, {}).get(table["name"], ()):
                columns[column] = "bigint"
    return types


@dataclass
class LandedTable:
    source: str
    table: str
    rows: int
    types: dict[str, str]
    as_text: list[str] = field(default_factory=list)  # typed columns landed as text, and why


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def read_raw_table(path: Path) -> tuple[list[str], list[list[str | None]]]:
    """A raw table's header and rows as text, an empty cell as None. A CSV file is read
    with the csv module (utf-8-sig: a byte-order mark at the start of the file is no part
    of the first column name); a Parquet file (the scale datasets) through DuckDB, each
    value as DuckDB writes it as text, time zone UTC."""
    if path.suffix == ".parquet":
        import duckdb

        connection = duckdb.connect()
        try:
            connection.execute("set TimeZone = 'UTC'")
            cursor = connection.execute(
                "select columns(*)::varchar from read_parquet(?)", [str(path)])
            header = [column[0] for column in cursor.description]
            rows = [[None if value in (None, "") else value for value in row] for row in cursor.fetchall()]
        finally:
            connection.close()
        return header, rows
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        return header, [[value if value != "" else None for value in row] for row in reader]


def land_table(cursor, source: str, table: str, path: Path, types: dict[str, str]) -> LandedTable:
    header, rows = read_raw_table(path)
    column_types: dict[str, str] = {}
    as_text: list[str] = []
    converted_columns: list[list[str | None]] = []
    for index, column in enumerate(header):
        wanted = types.get(column, "text")
        values = [row[index] for row in rows]
        if wanted == "text":
            column_types[column] = "text"
            converted_columns.append(values)
            continue
        convert = _CONVERTERS[wanted]
        converted = [None if value is None else convert(value) for value in values]
        unreadable = next((value for value, result in zip(values, converted) if value is not None and result is None), None)
        if unreadable is None:
            column_types[column] = wanted
            converted_columns.append(converted)
        else:
            column_types[column] = "text"
            as_text.append(f"{column} ({wanted} cannot hold {unreadable!r})")
            converted_columns.append(values)
    relation = f"{_quote(source)}.{_quote(table)}"
    cursor.execute(f"drop table if exists {relation}")
    cursor.execute(
        f"create table {relation} ("
        + ", ".join(f"{_quote(column)} {column_types[column]}" for column in header) + ")"
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    # A null is written as an empty field, which COPY's CSV format reads as null; no
    # value is empty text (an empty cell was read as null above).
    for row in zip(*converted_columns):
        writer.writerow([None if value is None else value for value in row])
    buffer.seek(0)
    if rows:
        cursor.copy_expert(
            f"copy {relation} ({', '.join(_quote(column) for column in header)}) from stdin with (format csv)", buffer)
    return LandedTable(source, table, len(rows), column_types, as_text)


def land(connection, raw_dir: str | Path) -> list[LandedTable]:
    """Land every ``raw_dir/<source>/<table>.csv`` (or ``.parquet``) into schema
    ``<source>`` of the connection's database (tables replaced), in one transaction;
    returns what landed."""
    raw_dir = Path(raw_dir)
    types = connector_types()
    landed: list[LandedTable] = []
    with connection.cursor() as cursor:
        cursor.execute("set local time zone 'UTC'")
        for source in SOURCES:
            folder = raw_dir / source
            if not folder.is_dir():
                continue
            cursor.execute(f"create schema if not exists {_quote(source)}")
            # A table's Parquet file is read when it exists, else its CSV file, as file mode reads them.
            paths = {path.stem: path for path in sorted(folder.glob("*.csv"))}
            paths.update({path.stem: path for path in sorted(folder.glob("*.parquet"))})
            for table, path in sorted(paths.items()):
                landed.append(land_table(cursor, source, table, path, types.get(source, {}).get(table, {})))
    connection.commit()
    return landed
