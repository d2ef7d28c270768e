"""The card's readers may read the published marts and nothing else.

The demo build of conftest.py runs with var reader_roles naming three login roles
(ecom_owner, ecom_finance, ecom_operations): dbt's `grants` config grants them select on
the published tables and each mart's post-hook usage on the `marts` schema. Connecting as
each role, this proves both halves: every published table can be read, and a source
table, a staging table and an intermediate table (every customer's personal data) are
refused; and no relation outside the published set is readable by any of them.
"""

from __future__ import annotations

import psycopg2
import pytest

from conftest import READER_ROLES
from publish import OPTIONAL_TABLES, REQUIRED_TABLES  # scripts/ is on the path through pg_support

# What the DuckDB publication carries is what the readers are granted here.
PUBLISHED = {*REQUIRED_TABLES, *OPTIONAL_TABLES}
REFUSED = {
    "a source table": 'shopify."order"',
    "a staging relation": "ecom_sage_gap.stg_shopify__customers",
    "an intermediate table": "ecom_sage_gap.int_ecom_customer_members",
}


@pytest.mark.parametrize("role", READER_ROLES)
def test_a_reader_selects_every_published_table(demo_builds, role):
    connection = demo_builds.server.connect(demo_builds.database, user=role)
    try:
        with connection.cursor() as cursor:
            for table in sorted(PUBLISHED):
                cursor.execute(f"select count(*) from marts.{table}")
                assert cursor.fetchone()[0] >= 0
            cursor.execute("select count(*) from marts.ecom_sage_customer_gap_customers")
            assert cursor.fetchone()[0] == 34
    finally:
        connection.close()


@pytest.mark.parametrize("what", list(REFUSED))
@pytest.mark.parametrize("role", READER_ROLES)
def test_a_reader_is_refused_personal_data(demo_builds, role, what):
    connection = demo_builds.server.connect(demo_builds.database, user=role)
    try:
        with connection.cursor() as cursor, pytest.raises(psycopg2.errors.InsufficientPrivilege):
            cursor.execute(f"select * from {REFUSED[what]} limit 1")
    finally:
        connection.close()


def test_the_readers_can_select_the_published_tables_and_nothing_else(demo_builds):
    """Asked of the catalogue for every table and view of the database."""
    connection = demo_builds.server.connect(demo_builds.database)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "select role, table_schema, table_name from unnest(%s::text[]) as roles(role)"
                " cross join information_schema.tables"
                " where table_schema not in ('pg_catalog', 'information_schema')"
                " and has_table_privilege(role, format('%%I.%%I', table_schema, table_name), 'select')",
                (list(READER_ROLES),),
            )
            readable = cursor.fetchall()
    finally:
        connection.close()
    for role in READER_ROLES:
        tables = {(schema, table) for who, schema, table in readable if who == role}
        assert tables == {("marts", table) for table in PUBLISHED}, role
