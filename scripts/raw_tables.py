"""The raw input tables of the contract (section 1): the single Python copy of their layout.

``RAW_TABLES`` maps source -> table -> ordered list of columns, sources, tables and
columns all in the contract's order (metric-contract.md section 1): the columns staging
reads, as the REST-era connectors land them. In file mode each table is read from
``<raw_data_path>/<source>/<table>.csv``; the demo and the fixtures write these columns.

``OPTIONAL_COLUMNS`` (contract section 5) lists the bookkeeping columns a landed table
may lack, with the value their absence means (``False``, or ``None`` for NULL).

The same layout is declared for dbt in ``models/staging/<source>/_<source>__sources.yml``
(optional columns through column meta ``if_absent``); ``tests_py/test_raw_tables.py``
checks that the YAML and this module agree, so change both together. Users of this module: ``scripts/generate_demo_data.py``
(the demo CSV headers) and ``tests_py/e2e_support.py`` (the end-to-end fixtures).

Standard library only: the demo generator must run under a plain ``python3``.
"""

from __future__ import annotations

from collections.abc import Iterator

RAW_TABLES: dict[str, dict[str, list[str]]] = {
    "shopify": {
        "customer": [
            "id", "email", "first_name", "last_name", "phone", "state", "created_at",
            "updated_at", "_fivetran_synced", "_fivetran_deleted",
        ],
        "customer_address": [
            "id", "customer_id", "company", "zip", "country_code", "phone", "is_default",
        ],
        "customer_tag": ["customer_id", "index", "value"],
        "metafield": ["id", "owner_id", "owner_resource", "namespace", "key", "value"],
        "order": [
            "id", "name", "customer_id", "email", "created_at", "cancelled_at", "test",
            "currency", "total_price", "billing_address_first_name",
            "billing_address_last_name", "billing_address_company", "billing_address_zip",
            "billing_address_country_code", "billing_address_phone", "_fivetran_deleted",
        ],
    },
    "bigcommerce": {
        "customer": [
            "id", "email", "first_name", "last_name", "company", "phone",
            "customer_group_id", "date_created", "date_modified", "_fivetran_deleted",
        ],
        "customer_address": [
            "id", "customer_id", "company", "postal_code", "country_code", "phone",
        ],
        "customer_attribute": ["id", "name"],
        "customer_attribute_value": ["id", "customer_id", "attribute_id", "attribute_value"],
        "orders": [
            "id", "customer_id", "date_created", "status_id", "is_deleted", "channel_id",
            "currency_code", "total_inc_tax", "billing_address_first_name",
            "billing_address_last_name", "billing_address_company", "billing_address_email",
            "billing_address_zip", "billing_address_country_iso_2", "billing_address_phone",
        ],
    },
    "adobe_commerce": {
        "customer_entity": [
            "entity_id", "website_id", "email", "firstname", "lastname", "taxvat", "group_id",
            "is_active", "created_at", "updated_at",
        ],
        "customer_address_entity": [
            "entity_id", "parent_id", "company", "postcode", "country_id", "telephone",
            "vat_id",
        ],
        "company": [
            "entity_id", "status", "company_name", "legal_name", "company_email",
            "vat_tax_id", "reseller_id", "postcode", "country_id", "telephone",
        ],
        "company_advanced_customer_entity": ["customer_id", "company_id"],
        "sales_order": [
            "entity_id", "increment_id", "store_id", "customer_id", "customer_is_guest",
            "customer_email", "customer_firstname", "customer_lastname", "customer_taxvat",
            "state", "created_at", "order_currency_code", "grand_total",
        ],
        "sales_order_address": [
            "entity_id", "parent_id", "address_type", "company", "postcode", "country_id",
            "telephone", "email", "vat_id",
        ],
    },
    "sage_intacct": {
        "customer": [
            "recordno", "customerid", "name", "status", "megaentityid", "objectrestriction",
            "taxid", "displaycontact_taxid", "displaycontact_email_1",
            "displaycontact_email_2", "displaycontact_phone_1", "displaycontact_cellphone",
            "displaycontact_firstname", "displaycontact_lastname",
            "displaycontact_companyname", "displaycontact_mailaddress_zip",
            "displaycontact_mailaddress_countrycode", "whencreated", "whenmodified",
            "_fivetran_synced", "_fivetran_deleted",
        ],
        "sodocument": [
            "recordno", "docid", "custvendid", "ponumber", "megaentityid", "whencreated",
            "state", "_fivetran_deleted",
        ],
    },
}

# Bookkeeping columns whose absence has an obvious meaning: source -> table -> column ->
# the value a missing column is read as (False, or None = NULL).
OPTIONAL_COLUMNS: dict[str, dict[str, dict[str, bool | None]]] = {
    "shopify": {
        "customer": {"_fivetran_synced": None, "_fivetran_deleted": False},
        "order": {"test": False, "_fivetran_deleted": False},
    },
    "bigcommerce": {
        "customer": {"_fivetran_deleted": False},
        "orders": {"is_deleted": False},
    },
    "sage_intacct": {
        "customer": {"_fivetran_synced": None, "_fivetran_deleted": False},
        "sodocument": {"_fivetran_deleted": False},
    },
}

SOURCES: tuple[str, ...] = tuple(RAW_TABLES)


def iter_tables() -> Iterator[tuple[str, str, list[str]]]:
    """Yield ``(source, table, columns)`` for every raw table, in contract order."""
    for source, tables in RAW_TABLES.items():
        for table, columns in tables.items():
            yield source, table, columns


def columns_of(source: str, table: str) -> list[str]:
    """The ordered columns of one raw table; ``KeyError`` naming it if unknown."""
    try:
        return RAW_TABLES[source][table]
    except KeyError:
        raise KeyError(f"unknown raw table {source}.{table}") from None

