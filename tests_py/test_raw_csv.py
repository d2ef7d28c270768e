"""End to end: file mode reads CSV with a fixed dialect (docs/definition/raw-inputs.md).

Comma, double quotes, a header row, no comment character, nothing sniffed: an order
name `#1001` in the first column is data (DuckDB's sniffer took `#` for a comment
character and dropped such rows), and a row with too many or too few fields fails the
build naming the file and its physical line, before any model reads the file (DuckDB's
strict mode alone lets a row with one empty field too many through, shifted).
Each test writes one Shopify order file and builds its staging view only.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from dbt_helpers import DbtInvocationError, run_dbt

AS_OF = "2026-04-14T09:00:00Z"
ORDER_HEADER = "name,id,customer_id,email,created_at,currency,total_price,billing_address_company"


def write_orders(tmp_path: Path, lines: list[str]) -> Path:
    """DIR/shopify/order.csv with `name` as its first column (column order is free)."""
    raw = tmp_path / "raw"
    (raw / "shopify").mkdir(parents=True)
    header = ORDER_HEADER + ",cancelled_at,billing_address_first_name,billing_address_last_name," \
        "billing_address_zip,billing_address_country_code,billing_address_phone,test,_fivetran_deleted"
    (raw / "shopify" / "order.csv").write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return raw


def padded(line: str) -> str:
    """The eight leading fields plus the eight empty trailing ones (16 fields)."""
    return line + ",,,,,,,,"


def read(database: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(database), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def run_failure(raw: Path, database: Path) -> str:
    with pytest.raises(DbtInvocationError) as failure:
        run_dbt(["run", "--select", "stg_shopify__orders"], database,
                vars={"gap_as_of": AS_OF, "raw_data_path": str(raw)})
    return str(failure.value)


def test_order_numbers_starting_with_hash_are_data(tmp_path: Path) -> None:
    raw = write_orders(tmp_path, [
        padded('#1001,1,,a@shop.example,2026-04-10T10:00:00Z,GBP,10.00,'),
        padded('#1002,2,,b@shop.example,2026-04-10T10:00:00Z,GBP,20.00,"Smith, Jones & Co"'),
        padded('1003,3,,c@shop.example,2026-04-10T10:00:00Z,GBP,30.00,'),
        padded('#1004,4,,d@shop.example,2026-04-10T10:00:00Z,GBP,40.00,'),
    ])
    database = tmp_path / "hash.duckdb"
    run_dbt(["run", "--select", "stg_shopify__orders"], database, vars={"gap_as_of": AS_OF, "raw_data_path": str(raw)})
    rows = read(database, "select order_number, billing_company from stg_shopify__orders order by shopify_order_id")
    assert rows == [("#1001", None), ("#1002", "Smith, Jones & Co"), ("1003", None), ("#1004", None)]


@pytest.mark.parametrize(
    ("bad_row", "problem"),
    [
        (padded('#1002,2,,b@shop.example,2026-04-10T10:00:00Z,GBP,20.00,Smith, Jones & Co'),
         "too many fields (17, the header has 16)"),
        ('#1002,2,,b@shop.example,2026-04-10T10:00:00Z,GBP,20.00', "too few fields (7, the header has 16)"),
        (padded('#1002,2,,b@shop.example,2026-04-10T10:00:00Z,GBP,20.00,"Smith'),
         "a double quote is left open or stands inside an unquoted value"),
    ],
    ids=["unquoted_comma", "too_few_fields", "open_quote"],
)
def test_a_ragged_row_fails_naming_the_file_and_line(tmp_path: Path, bad_row: str, problem: str) -> None:
    # Line 2 holds a quoted value spanning two lines, so the bad row is on line 5.
    raw = write_orders(tmp_path, [
        padded('#1000,9,,z@shop.example,2026-04-10T10:00:00Z,GBP,5.00,"Unit 4\nThe Yard"'),
        padded('#1001,1,,a@shop.example,2026-04-10T10:00:00Z,GBP,10.00,'),
        bad_row,
        padded('#1003,3,,c@shop.example,2026-04-10T10:00:00Z,GBP,30.00,'),
    ])
    message = run_failure(raw, tmp_path / "ragged.duckdb")
    assert f"{raw}/shopify/order.csv line 5: {problem}: #1002,2," in message
    assert "no comment lines (# is data)" in message

