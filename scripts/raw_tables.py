"""The raw input tables of the contract (section 1): the single Python copy of their layout.

``RAW_TABLES`` maps source -> table -> ordered list of columns, sources, tables and
columns all in the contract's order (metric-contract.md section 1): the columns staging
reads, as the REST-era connectors land them. In file mode each table is read from
``<raw_data_path>/<source>/<table>.csv``; the demo and the fixtures write these columns.

Two amendments (contract section 5) loosen that layout:
- ``OPTIONAL_COLUMNS``: bookkeeping columns a landed table may lack, with the value their
  absence means (``False``, or ``None`` for NULL).
- ``SHAPE_COLUMNS``: columns another landed shape has instead (var ``<source>_api``;
  Shopify's GraphQL-era ``order``), each mapped to the column it is read as.
  ``landed_columns(source, table, shopify_api)`` is the header a table of that shape
  has (the GraphQL-era ``customer`` also lacks ``_fivetran_deleted``).

The same layout is declared for dbt in ``models/staging/<source>/_<source>__sources.yml``
(shape and optional columns through column meta ``<source>_api``, ``read_as`` and
``if_absent``); ``tests_py/test_raw_tables.py`` checks that the YAML and this module
agree, so change both together. Users of this module: ``scripts/generate_demo_data.py``
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
        "order": {"test": False, "_fivetran_deleted": False, "total_price_set_shop_currency_code": None},
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

# Landed shapes other than the REST-era base: source -> shape -> table -> column -> the
# RAW_TABLES column it is read as (several columns read as one: the first non-empty).
SHAPE_COLUMNS: dict[str, dict[str, dict[str, dict[str, str]]]] = {
    "shopify": {
        "graphql": {
            "order": {
                "currency_code": "currency",
                "total_price_set_shop_amount": "total_price",
                "total_price_set_shop_currency_code": "currency",
            },
        },
    },
}

# Columns a shape's connector does not land at all (each one optional above).
SHAPE_LACKS: dict[str, dict[str, dict[str, list[str]]]] = {
    "shopify": {"graphql": {"customer": ["_fivetran_deleted"]}},
}

SHOPIFY_APIS: tuple[str, ...] = ("rest", "graphql")

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
