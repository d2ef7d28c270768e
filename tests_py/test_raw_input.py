"""End to end: raw input as connectors land it today (docs/definition/raw-inputs.md).

- Shopify's two landed shapes: the REST-era order (`currency`, `total_price`) and the
  GraphQL-era order (`currency_code`, `total_price_set_shop_amount`, ...; its customer has
  no `_fivetran_deleted`) give the same marts, in file mode and in a warehouse, with
  var `shopify_api` explicit or `auto`; a wrong explicit shape fails naming the table
  and the columns.
- Bookkeeping columns may be missing (read as NULL / false); a missing column that
  carries meaning fails naming the file or table and every missing column.

The Shopify cast (computed by hand; as_of 2026-04-14T09:00Z, 7-day window, GBP shop):
- 101 ann@  DTC, order #1001 (120.50) in the window, no Sage record -> absent, dtc_new.
- 102 bob@  DTC, order #1002 (35.00) in the window, active Sage row by email -> present.
- 103 Trade Ltd, tagged b2b, VAT GB 123 4567 89, order #1003 (960.00) -> absent,
  b2b_new_account.
- guest order #1004 (15.25) by cat@ -> absent, dtc_new.
- 104 dan@, order #1005 (44.00) cancelled -> not counted.
- BigCommerce customer 7 (B2B, VAT GB 987654321, in Sage) with order 70 -> present.
So 3 absent customers (1 B2B), 3 orders, 1095.75 GBP. In the GraphQL files the
presentment amounts are in EUR and different, and must not be read.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from dbt_helpers import DbtInvocationError, connect_read_only, run_dbt
from e2e_support import AS_OF, Built, RawData, build, load_warehouse, project_copy

IN_WINDOW = "2026-04-10T10:00:00Z"
SYNCED = "2026-04-14T02:00:00Z"
# Fixed in the builds compared with each other, so a build without Sage's
# _fivetran_synced still reads the same sync instant.
SAME_SYNC = {"gap_as_of": AS_OF, "sage_last_synced_at": SYNCED}
MARTS = [
    "ecom_sage_customer_gap",
    "ecom_sage_customer_gap_cohorts",
    "ecom_sage_customer_gap_customers",
    "ecom_sage_customer_gap_orders",
    "ecom_sage_customer_gap_reconciliation",
]

# Every optional (bookkeeping) column, by table: what a connector may leave out.
ALL_OPTIONAL = {
    ("shopify", "customer"): ["_fivetran_synced", "_fivetran_deleted"],
    ("shopify", "order"): ["test", "_fivetran_deleted"],
    ("bigcommerce", "customer"): ["_fivetran_deleted"],
    ("bigcommerce", "orders"): ["is_deleted"],
    ("sage_intacct", "customer"): ["_fivetran_synced", "_fivetran_deleted"],
    ("sage_intacct", "sodocument"): ["_fivetran_deleted"],
}


def shop_data(sync_times: bool = True) -> RawData:
    """The cast above, every flag false; without sync times, every bookkeeping column can be left out."""
    synced = SYNCED if sync_times else None
    data = RawData()
    for id, email, first, last in [(101, "ann@shop.example", "Ann", "Ames"), (102, "bob@shop.example", "Bob", "Bell"),
                                   (103, "buyer@trade.example", "Tia", "Trade"), (104, "dan@shop.example", "Dan", "Dee")]:
        data.add("shopify", "customer", id=id, email=email, first_name=first, last_name=last, state="enabled",
                 created_at="2026-01-05T10:00:00Z", _fivetran_synced=synced, _fivetran_deleted=False)
    data.add("shopify", "customer_tag", customer_id=103, index=0, value="b2b")
    data.add("shopify", "metafield", id=9001, owner_id=103, owner_resource="customer", namespace="custom",
             key="vat_number", value="GB 123 4567 89")
    data.add("shopify", "customer_address", id=501, customer_id=103, company="Trade Ltd", zip="LS1 4AP",
             country_code="GB", is_default=True)
    orders = [
        (5001, "#1001", 101, "ann@shop.example", "120.50", None),
        (5002, "#1002", 102, "bob@shop.example", "35.00", None),
        (5003, "#1003", 103, "buyer@trade.example", "960.00", None),
        (5004, "#1004", None, "cat@shop.example", "15.25", None),
        (5005, "#1005", 104, "dan@shop.example", "44.00", "2026-04-11T08:00:00Z"),
    ]
    for id, name, customer_id, email, total, cancelled_at in orders:
        data.add("shopify", "order", id=id, name=name, customer_id=customer_id, email=email, created_at=IN_WINDOW,
                 cancelled_at=cancelled_at, test=False, currency="GBP", total_price=total,
                 billing_address_first_name="Bill", billing_address_last_name=f"Payer{id}",
                 billing_address_country_code="GB", _fivetran_deleted=False)
    data.add("bigcommerce", "customer_attribute", id=1, name="VAT Number")
    data.add("bigcommerce", "customer", id=7, email="accounts@bulk.example", company="Bulk Buyers Ltd",
             _fivetran_deleted=False)
    data.add("bigcommerce", "customer_attribute_value", id=71, customer_id=7, attribute_id=1,
             attribute_value="GB987654321")
    data.add("bigcommerce", "orders", id=70, customer_id=7, date_created=IN_WINDOW, status_id=11, is_deleted=False,
             channel_id=1, currency_code="GBP", total_inc_tax="500.00")
    data.add("sage_intacct", "customer", recordno=1, customerid="C001", name="Bob Bell", status="active",
             displaycontact_email_1="bob@shop.example", _fivetran_synced=synced, _fivetran_deleted=False)
    data.add("sage_intacct", "customer", recordno=2, customerid="C002", name="Bulk Buyers Ltd", status="active",
             taxid="GB987654321", _fivetran_synced=synced, _fivetran_deleted=False)
    data.add("sage_intacct", "sodocument", recordno=1, docid="SO-1", custvendid="C001", ponumber="#1002",
             whencreated=IN_WINDOW, state="Pending", _fivetran_deleted=False)
    return data


def add_presentment_columns(raw_dir: Path) -> None:
    """What the GraphQL-era order also lands: the customer's (presentment) currency and total, here EUR."""
    path = raw_dir / "shopify" / "order.csv"
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
        header = list(rows[0]) if rows else []
    extra = ["presentment_currency_code", "total_price_set_pres_amount", "total_price_set_pres_currency_code"]
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header + extra, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            pres = str(Decimal(row["total_price_set_shop_amount"]) * Decimal("1.17"))
            writer.writerow({**row, "presentment_currency_code": "EUR", "total_price_set_pres_amount": pres,
                             "total_price_set_pres_currency_code": "EUR"})


def header_of(path: Path) -> list[str]:
    with open(path, newline="", encoding="utf-8") as handle:
        return next(csv.reader(handle))


def build_files(tmp_path: Path, data: RawData, vars: dict, **write) -> Built:
    raw_dir = data.write(tmp_path / "raw", **write)
    if write.get("shopify_api") == "graphql":
        add_presentment_columns(raw_dir)
    project_dir = project_copy(tmp_path)
    build(project_dir, raw_dir, tmp_path / "e2e.duckdb", vars)
    return Built(project_dir=project_dir, raw_dir=raw_dir, duckdb_path=tmp_path / "e2e.duckdb", vars=vars)


def marts(database: Path) -> dict[str, list[tuple]]:
    """Every mart as sorted rows (None sorts first), for comparing two builds."""
    con = connect_read_only(database)
    try:
        return {
            mart: sorted(con.execute(f"select * from {mart}").fetchall(),
                         key=lambda row: tuple((value is not None, str(value)) for value in row))
            for mart in MARTS
        }
    finally:
        con.close()


def read(database: Path, sql: str) -> list[tuple]:
    con = connect_read_only(database)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def run_failure(args: list[str], database: Path, vars: dict) -> str:
    """The output of a dbt invocation that must fail."""
    with pytest.raises(DbtInvocationError) as failure:
        run_dbt(args, database, vars={"gap_as_of": AS_OF, **vars})
    return str(failure.value)


# --------------------------------------------------------------------------------------
# Shopify shapes
# --------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def rest_build(tmp_path_factory) -> Built:
    """REST-era files, shopify_api explicit."""
    return build_files(tmp_path_factory.mktemp("rest"), shop_data(), {**SAME_SYNC, "shopify_api": "rest"})


@pytest.fixture(scope="module")
def graphql_build(tmp_path_factory) -> Built:
    """GraphQL-era files (customer without _fivetran_deleted, EUR presentment columns), shopify_api auto."""
    return build_files(tmp_path_factory.mktemp("graphql"), shop_data(), SAME_SYNC, shopify_api="graphql")


def test_rest_build_reads_the_cast(rest_build: Built) -> None:
    (gap,) = rest_build.query("select absent_customers, absent_b2b_customers, orders_attached from ecom_sage_customer_gap")
    assert (gap["absent_customers"], gap["absent_b2b_customers"], gap["orders_attached"]) == (3, 1, 3)
    totals = {row["order_number"]: (row["currency"], row["order_total"])
              for row in rest_build.query("select * from ecom_sage_customer_gap_orders")}
    assert totals == {"#1001": ("GBP", Decimal("120.50")), "#1003": ("GBP", Decimal("960.00")),
                      "#1004": ("GBP", Decimal("15.25"))}


def test_graphql_files_are_the_graphql_shape(graphql_build: Built) -> None:
    order = header_of(graphql_build.raw_dir / "shopify" / "order.csv")
    assert {"currency_code", "total_price_set_shop_amount", "total_price_set_pres_amount"} <= set(order)
    assert not {"currency", "total_price"} & set(order)
    assert "_fivetran_deleted" not in header_of(graphql_build.raw_dir / "shopify" / "customer.csv")


def test_graphql_shape_gives_the_same_marts_as_rest(rest_build: Built, graphql_build: Built) -> None:
    assert marts(graphql_build.duckdb_path) == marts(rest_build.duckdb_path)


def test_graphql_customer_without_fivetran_deleted_reads_not_deleted(graphql_build: Built) -> None:
    assert graphql_build.query("select count(*) as n, count(*) filter (where is_deleted) as deleted "
                               "from stg_shopify__customers") == [{"n": 4, "deleted": 0}]


def test_explicit_graphql_reads_the_shop_amount_and_currency(graphql_build: Built, tmp_path: Path) -> None:
    database = tmp_path / "explicit.duckdb"
    run_dbt(["run", "--select", "stg_shopify__orders"], database,
            vars={"gap_as_of": AS_OF, "raw_data_path": str(graphql_build.raw_dir), "shopify_api": "graphql"})
    rows = read(database, "select order_number, currency, order_total from stg_shopify__orders order by 1")
    assert rows[:2] == [("#1001", "GBP", Decimal("120.50")), ("#1002", "GBP", Decimal("35.00"))]


def test_graphql_currency_falls_back_to_the_shop_amount_currency(tmp_path: Path) -> None:
    data = RawData()
    data.add("shopify", "order", id=1, name="#1", created_at=IN_WINDOW, currency_code=None,
             total_price_set_shop_amount="9.99", total_price_set_shop_currency_code="gbp")
    raw = data.write(tmp_path / "raw", shopify_api="graphql")
    database = tmp_path / "fallback.duckdb"
    run_dbt(["run", "--select", "stg_shopify__orders"], database, vars={"gap_as_of": AS_OF, "raw_data_path": str(raw)})
    assert read(database, "select currency, order_total from stg_shopify__orders") == [("GBP", Decimal("9.99"))]


@pytest.mark.parametrize(
    ("landed", "requested", "lacks", "fits"),
    [
        ("graphql", "rest", "currency, total_price", "graphql"),
        ("rest", "graphql", "currency_code, total_price_set_shop_amount", "rest"),
    ],
)
def test_a_wrong_explicit_shopify_api_fails_naming_table_and_columns(
    tmp_path: Path, landed: str, requested: str, lacks: str, fits: str
) -> None:
    raw = shop_data().write(tmp_path / "raw", shopify_api=landed)
    message = run_failure(["run", "--select", "stg_shopify__orders"], tmp_path / "wrong.duckdb",
                          {"raw_data_path": str(raw), "shopify_api": requested})
    assert f"{raw}/shopify/order.csv does not fit shopify_api: {requested}: it lacks column(s) {lacks}" in message
    assert f"has the columns of shopify_api: {fits}" in message


def test_shopify_api_must_be_a_known_shape(tmp_path: Path) -> None:
    raw = shop_data().write(tmp_path / "raw")
    message = run_failure(["run", "--select", "stg_shopify__orders"], tmp_path / "bad.duckdb",
                          {"raw_data_path": str(raw), "shopify_api": "soap"})
    assert "shopify_api must be one of auto, rest, graphql, not 'soap'" in message


def test_auto_fails_when_the_order_table_fits_no_shape(tmp_path: Path) -> None:
    raw = shop_data().write(tmp_path / "raw")
    path = raw / "shopify" / "order.csv"
    path.write_text(path.read_text().replace(",currency,total_price,", ",money,amount,", 1))
    message = run_failure(["run", "--select", "stg_shopify__orders"], tmp_path / "none.duckdb",
                          {"raw_data_path": str(raw)})
    assert f"{path} fits no shopify_api shape (rest needs currency, total_price (missing currency, total_price); " \
           "graphql needs currency_code, total_price_set_shop_amount (missing currency_code, " \
           "total_price_set_shop_amount)" in message


def test_warehouse_graphql_without_bookkeeping_columns_gives_the_same_marts(rest_build: Built, tmp_path: Path) -> None:
    raw = shop_data(sync_times=False).write(tmp_path / "raw", shopify_api="graphql", drop_columns=ALL_OPTIONAL)
    add_presentment_columns(raw)
    database = tmp_path / "warehouse.duckdb"
    load_warehouse(raw, database)
    columns = {row[0] for row in read(database, "select column_name from information_schema.columns "
                                                "where table_schema = 'shopify' and table_name = 'order'")}
    assert "total_price_set_shop_amount" in columns and not {"total_price", "test", "_fivetran_deleted"} & columns
    run_dbt(["build", "--exclude", "tag:alert", "--exclude-resource-type", "unit_test"], database,
            vars={**SAME_SYNC, "raw_data_path": ""})
    assert marts(database) == marts(rest_build.duckdb_path)


def test_warehouse_table_missing_required_columns_fails_naming_it(tmp_path: Path) -> None:
    database = tmp_path / "warehouse.duckdb"
    con = duckdb.connect(str(database))
    try:
        con.execute('create schema shopify')
        con.execute('create table shopify."order" (id bigint, name varchar, currency varchar, total_price double)')
    finally:
        con.close()
    message = run_failure(["run", "--select", "stg_shopify__orders"], database, {"raw_data_path": ""})
    assert ('shopify.order ("warehouse"."shopify"."order") is missing column(s) customer_id, email, created_at, '
            "cancelled_at, billing_address_first_name, billing_address_last_name, billing_address_company, "
            "billing_address_zip, billing_address_country_code, billing_address_phone (columns: ") in message


# --------------------------------------------------------------------------------------
# Optional and required columns
# --------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def without_bookkeeping(tmp_path_factory) -> Built:
    """REST files without any optional column, and no sage_last_synced_at var."""
    return build_files(tmp_path_factory.mktemp("no_bookkeeping"), shop_data(sync_times=False), {"gap_as_of": AS_OF},
                       drop_columns=ALL_OPTIONAL)


def test_files_lack_every_optional_column(without_bookkeeping: Built) -> None:
    for (source, table), dropped in ALL_OPTIONAL.items():
        assert not set(dropped) & set(header_of(without_bookkeeping.raw_dir / source / f"{table}.csv"))


@pytest.mark.parametrize(
    ("model", "column", "expected"),
    [
        ("stg_shopify__customers", "is_deleted", False),
        ("stg_shopify__customers", "fivetran_synced_at", None),
        ("stg_shopify__orders", "is_test", False),
        ("stg_shopify__orders", "is_deleted", False),
        ("stg_bigcommerce__customers", "is_deleted", False),
        ("stg_bigcommerce__orders", "is_deleted", False),
        ("stg_sage_intacct__customers", "is_deleted", False),
        ("stg_sage_intacct__customers", "fivetran_synced_at", None),
        ("stg_sage_intacct__sales_documents", "is_deleted", False),
    ],
)
def test_missing_optional_columns_read_as_null_or_false(without_bookkeeping: Built, model: str, column: str,
                                                        expected) -> None:
    values = {row["value"] for row in without_bookkeeping.query(f"select {column} as value from {model}")}
    assert values == {expected}


def test_without_sync_times_the_card_still_counts(without_bookkeeping: Built, rest_build: Built) -> None:
    (gap,) = without_bookkeeping.query("select absent_customers, orders_attached, sage_last_synced_at, awaiting_sync "
                                       "from ecom_sage_customer_gap")
    assert gap == {"absent_customers": 3, "orders_attached": 3, "sage_last_synced_at": None, "awaiting_sync": 0}
    assert without_bookkeeping.query("select customer_key from ecom_sage_customer_gap_customers order by 1") == \
        rest_build.query("select customer_key from ecom_sage_customer_gap_customers order by 1")


def test_a_missing_required_column_fails_naming_the_file_and_all_columns(tmp_path: Path) -> None:
    data = RawData()
    data.add("shopify", "order", id=1, name="#1", created_at=IN_WINDOW, currency="GBP", total_price="1.00")
    raw = data.write(tmp_path / "raw", drop_columns={("shopify", "order"): ["email", "customer_id", "_fivetran_deleted"]})
    message = run_failure(["run", "--select", "stg_shopify__orders"], tmp_path / "required.duckdb",
                          {"raw_data_path": str(raw)})
    assert f"{raw}/shopify/order.csv is missing column(s) customer_id, email (header has: id, name, " in message
