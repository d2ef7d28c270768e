"""End to end: the project outside the demo's default path.

- Warehouse mode: the demo loaded as typed tables into source schemas (as a Fivetran
  warehouse holds them: integers, booleans, timestamps with time zone, doubles) and
  read through `source()` with `raw_data_path: ""` gives the same card.
- A storefront switched off builds without its sources.
- Bad settings and bad file-mode input fail with messages that name the problem.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dbt_helpers import PROJECT_DIR, DbtInvocationError, connect_read_only, run_dbt
from e2e_support import load_warehouse

DEMO = PROJECT_DIR / "data" / "demo"
AS_OF = {"gap_as_of": "2026-04-14T09:00:00Z"}


def read(path: Path, sql: str) -> list[tuple]:
    con = connect_read_only(path)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def load_demo_as_warehouse(path: Path) -> None:
    """Create <source>.<table> tables from the demo CSVs with DuckDB's type detection."""
    load_warehouse(DEMO, path)


def test_warehouse_mode_reads_typed_source_tables(tmp_path: Path) -> None:
    database = tmp_path / "warehouse.duckdb"
    load_demo_as_warehouse(database)
    types = dict(read(database, "select column_name, data_type from information_schema.columns "
                                "where table_schema = 'shopify' and table_name = 'order'"))
    # The point of the test: the sources are typed, not text.
    assert types["created_at"] == "TIMESTAMP WITH TIME ZONE"
    assert types["_fivetran_deleted"] == "BOOLEAN"
    assert types["id"] == "BIGINT"

    run_dbt(["build", "--exclude", "tag:alert"], database, vars={**AS_OF, "raw_data_path": ""})

    gap = read(database, "select absent_customers, absent_b2b_customers, orders_attached from ecom_sage_customer_gap")
    assert gap == [(34, 7, 51)]
    cohorts = dict(read(database, "select cohort, customers from ecom_sage_customer_gap_cohorts"))
    assert cohorts == {"inactive_in_sage": 0, "b2b_vat_not_keyed": 2, "b2b_new_account": 5,
                       "dtc_returning_email_changed": 6, "dtc_new": 21, "dtc_returning_unmatched": 0}


def test_a_storefront_can_be_switched_off(tmp_path: Path) -> None:
    database = tmp_path / "no_adobe.duckdb"
    run_dbt(["build", "--exclude", "tag:alert"], database, vars={**AS_OF, "using_adobe_commerce": False})
    tables = {row[0] for row in read(database, "select table_name from information_schema.tables")}
    assert "stg_adobe_commerce__orders" not in tables
    assert "stg_shopify__orders" in tables
    storefronts = {row[0] for row in read(database, "select distinct storefront from ecom_sage_customer_gap_orders")}
    assert storefronts == {"shopify", "bigcommerce"}
    (absent,) = read(database, "select absent_customers from ecom_sage_customer_gap")[0]
    (listed,) = read(database, "select count(*) from ecom_sage_customer_gap_customers")[0]
    # The demo's Adobe Commerce cast (new DTC, duplicates, a company) drops out.
    assert 0 < absent == listed < 34


@pytest.mark.parametrize(
    ("bad_vars", "message"),
    [
        ({"gap_scope": "dtc"}, "gap_scope must be 'all' or 'b2b'"),
        ({"gap_b2b_alert_threshold": -1}, "gap_b2b_alert_threshold must be a whole number >= 0"),
        ({"gap_alert_threshold": "ten"}, "gap_alert_threshold must be a whole number >= 0"),
        ({"gap_window_days": 0}, "gap_window_days must be a positive whole number"),
    ],
)
def test_bad_settings_fail_with_a_message(tmp_path: Path, bad_vars: dict, message: str) -> None:
    with pytest.raises(DbtInvocationError) as failure:
        run_dbt(["build", "--select", "ecom_sage_customer_gap", "ecom_sage_customer_gap_customers"],
                tmp_path / "bad.duckdb", vars={**AS_OF, **bad_vars})
    assert message in str(failure.value)


def test_file_mode_names_a_missing_file(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(DEMO, raw)
    (raw / "bigcommerce" / "customer_attribute.csv").unlink()
    with pytest.raises(DbtInvocationError) as failure:
        run_dbt(["run", "--select", "stg_bigcommerce__customer_attributes"], tmp_path / "missing.duckdb",
                vars={**AS_OF, "raw_data_path": str(raw)})
    assert f"{raw}/bigcommerce/customer_attribute.csv does not exist" in str(failure.value)
    assert "using_bigcommerce: false" in str(failure.value)


def test_file_mode_names_missing_columns(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(DEMO, raw)
    (raw / "sage_intacct" / "sodocument.csv").write_text("recordno,docid,custvendid\n1,SO-1,WEBSALES\n")
    with pytest.raises(DbtInvocationError) as failure:
        run_dbt(["run", "--select", "stg_sage_intacct__sales_documents"], tmp_path / "columns.duckdb",
                vars={**AS_OF, "raw_data_path": str(raw)})
    # _fivetran_deleted is missing too, but it is optional (missing = nothing deleted).
    assert (f"{raw}/sage_intacct/sodocument.csv is missing column(s) ponumber, megaentityid, whencreated, state "
            "(header has: recordno, docid, custvendid)") in str(failure.value)


def test_an_order_of_an_unmapped_store_warns(tmp_path: Path) -> None:
    # The field map names BigCommerce channel 1 only (no `*` row): an order on channel 2
    # cannot be placed in an entity, and the build says so with a warning.
    from e2e_support import RawData, build, project_copy, query

    data = RawData()
    data.add("bigcommerce", "customer", id=1, email="buyer@trade.example", company="Trade Ltd")
    data.add("bigcommerce", "orders", id=10, customer_id=1, channel_id=1, status_id=11,
             date_created="2026-04-10T10:00:00Z", total_inc_tax="100.00")
    data.add("bigcommerce", "orders", id=11, customer_id=1, channel_id=2, status_id=11,
             date_created="2026-04-11T10:00:00Z", total_inc_tax="50.00")
    project = project_copy(tmp_path, seeds={"storefronts": "storefront,store_key,entity_id,default_customer_type\n"
                                                          "shopify,*,UK,dtc\nbigcommerce,1,UK,b2b\n"
                                                          "adobe_commerce,*,UK,dtc\n"})
    # No Sage rows: the broken-sync check only warns here.
    run = build(project, data.write(tmp_path / "raw"), tmp_path / "unmapped.duckdb",
                vars={"sage_sync_check_severity": "warn"})
    assert run.statuses["orders_map_to_a_storefront_row"] == "warn"
    entities = {row["entity_id"] for row in query(tmp_path / "unmapped.duckdb",
                                                   "select entity_id from ecom_sage_customer_gap_orders")}
    assert entities == {"UK", None}
