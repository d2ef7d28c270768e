"""CSV rows: one writer per raw table in the raw layout's column order, and the expected
answers written from the intent of each case."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

from .builder import DemoBuilder
from .constants import (
    COHORTS,
    GAP_AS_OF,
    HOLDING_CUSTOMER_ID,
    RECONCILIATION_REASONS,
    SAGE_LAST_SYNC,
    STOREFRONT_SYNC,
)
from .values import fmt_bool, fmt_money, fmt_ts

# --------------------------------------------------------------------------------------
# Table writers: one function per table, each yields rows in the raw layout's column order
# --------------------------------------------------------------------------------------


def shopify_customer_rows(m: DemoBuilder):
    for c in sorted(m.customers["shopify"], key=lambda c: c.id):
        synced = min(max(c.updated_at, c.created_at) + timedelta(minutes=7), STOREFRONT_SYNC) \
            if c.created_at <= GAP_AS_OF else c.updated_at + timedelta(minutes=10)
        yield (c.id, c.email_raw, c.person.first, c.person.last, c.phone_raw, c.state,
               fmt_ts(c.created_at), fmt_ts(c.updated_at), fmt_ts(synced),
               fmt_bool(c.deleted, "word" if c.deleted else ("word", "empty", "word")[c.id % 3]))


def shopify_customer_address_rows(m: DemoBuilder):
    rows = []
    for c in m.customers["shopify"]:
        for a in c.addresses:
            rows.append((a.id, c.id, a.company, a.postcode, a.country, a.phone, a.is_default))
    yield from sorted(rows)


def shopify_customer_tag_rows(m: DemoBuilder):
    for c in sorted(m.customers["shopify"], key=lambda c: c.id):
        for index, tag in enumerate(c.tags):
            yield (c.id, index, tag)


def shopify_metafield_rows(m: DemoBuilder):
    rows = []
    for c in m.customers["shopify"]:
        if c.vat_raw:
            rows.append((c.id, "customer", "custom", "vat_number", c.vat_raw))
        if c.account_ref:
            rows.append((c.id, "customer", "custom", "sage_customer_id", c.account_ref.render()))
        if c.company is None and c.id % 7 == 0:
            rows.append((c.id, "customer", "loyalty", "tier", ("bronze", "silver", "gold")[c.id % 3]))
        if c.company is None and c.id % 11 == 0:
            rows.append((c.id, "customer", "custom", "birthday_month", str(1 + c.id % 12)))
    for order in m.orders:
        if order.storefront == "shopify" and order.customer and order.customer.company \
                and order.id % 2 == 0:
            # Noise: an order-level VAT note, not a customer attribute.
            rows.append((order.id, "order", "custom", "vat_number", order.customer.vat_raw or "n/a"))
    rows.sort(key=lambda r: (r[0], r[2], r[3]))
    for k, row in enumerate(rows):
        yield (2_300_870_000_000 + k * 3, *row)


def shopify_order_rows(m: DemoBuilder):
    for o in sorted((o for o in m.orders if o.storefront == "shopify"), key=lambda o: o.id):
        customer_id = o.customer_id_raw if o.customer_id_raw is not None else o.customer.id
        cancelled_at = o.created_at + timedelta(hours=3, minutes=17) if o.status == "cancelled" else None
        yield (o.id, o.number, customer_id, o.email, fmt_ts(o.created_at, o.ts_style),
               fmt_ts(cancelled_at, o.ts_style if o.ts_style != "naive" else "z"),
               fmt_bool(o.status == "test", o.bool_style), o.currency, fmt_money(o.total),
               o.first, o.last, o.company, o.zip, o.country, o.phone,
               fmt_bool(o.status == "deleted", o.bool_style if o.status == "deleted" else "word"))


def bigcommerce_customer_rows(m: DemoBuilder):
    for c in sorted(m.customers["bigcommerce"], key=lambda c: c.id):
        yield (c.id, c.email_raw, c.person.first, c.person.last,
               c.company.name if c.company else "", c.phone_raw, c.group_id,
               fmt_ts(c.created_at), fmt_ts(c.updated_at), fmt_bool(c.deleted, "word"))


def bigcommerce_customer_address_rows(m: DemoBuilder):
    rows = []
    for c in m.customers["bigcommerce"]:
        for a in c.addresses:
            rows.append((a.id, c.id, a.company, a.postcode, a.country, a.phone))
    yield from sorted(rows)


BC_ATTRIBUTES = ((1, "VAT Number"), (2, "Sage Customer ID"), (3, "Account Manager"),
                 (4, "Payment Terms"))


def bigcommerce_customer_attribute_rows(m: DemoBuilder):
    yield from BC_ATTRIBUTES


def bigcommerce_customer_attribute_value_rows(m: DemoBuilder):
    rows = []
    managers = ("Rachel Ives", "Dev Chauhan", "Sam Oyelaran")
    for c in sorted(m.customers["bigcommerce"], key=lambda c: c.id):
        if c.vat_raw:
            rows.append((c.id, 1, c.vat_raw))
        if c.account_ref:
            rows.append((c.id, 2, c.account_ref.render()))
        if c.company is not None:
            rows.append((c.id, 3, managers[c.id % 3]))
            rows.append((c.id, 4, ("30 days", "60 days", "Proforma")[c.id % 3]))
    for k, row in enumerate(rows):
        yield (9_001 + k, *row)


def bigcommerce_order_rows(m: DemoBuilder):
    for o in sorted((o for o in m.orders if o.storefront == "bigcommerce"), key=lambda o: o.id):
        customer_id = o.customer_id_raw if o.customer_id_raw is not None else o.customer.id
        yield (o.id, customer_id, fmt_ts(o.created_at, o.ts_style), o.bc_status_id,
               fmt_bool(o.status == "deleted", ("word", "digit", "word")[o.id % 3]), 1,
               o.currency, fmt_money(o.total), o.first, o.last, o.company, o.email, o.zip,
               o.country, o.phone)


def adobe_customer_entity_rows(m: DemoBuilder):
    for c in sorted(m.customers["adobe_commerce"], key=lambda c: c.id):
        yield (c.id, 1, c.email_raw, c.person.first, c.person.last, c.vat_raw, c.group_id,
               c.is_active, fmt_ts(c.created_at, "naive"), fmt_ts(c.updated_at, "naive"))


def adobe_customer_address_entity_rows(m: DemoBuilder):
    rows = []
    for c in m.customers["adobe_commerce"]:
        for a in c.addresses:
            rows.append((a.id, c.id, a.company, a.postcode, a.country, a.phone, a.vat))
    yield from sorted(rows)


def adobe_company_rows(m: DemoBuilder):
    for e in m.adobe_companies:
        c = e.company
        yield (e.id, e.status, c.name, c.legal_name, c.email, e.vat_raw,
               e.reseller.render() if e.reseller else "", c.postcode.render("std"), c.country,
               c.phone.render("national" if c.country == "GB" else "intl"))


def adobe_company_link_rows(m: DemoBuilder):
    for c in sorted(m.customers["adobe_commerce"], key=lambda c: c.id):
        if c.adobe_company is not None:
            yield (c.id, c.adobe_company.id)


def adobe_sales_order_rows(m: DemoBuilder):
    for o in sorted((o for o in m.orders if o.storefront == "adobe_commerce"), key=lambda o: o.id):
        customer_id = o.customer_id_raw if o.customer_id_raw is not None else o.customer.id
        guest = ("1", "1", "true")[o.id % 3] if o.is_guest else ("0", "0", "false")[o.id % 3]
        taxvat = o.customer.vat_raw if o.customer and o.customer.adobe_company is None else ""
        yield (o.id, o.number, o.store_id, customer_id, guest, o.email, o.first, o.last,
               taxvat, o.adobe_state, fmt_ts(o.created_at, o.ts_style), o.currency,
               fmt_money(o.total))


def adobe_sales_order_address_rows(m: DemoBuilder):
    k = 0
    for o in sorted((o for o in m.orders if o.storefront == "adobe_commerce"), key=lambda o: o.id):
        types = ("billing", "shipping") if o.shipping_copy else ("billing",)
        for address_type in types:
            k += 1
            yield (20_000 + k, o.id, address_type, o.company, o.zip, o.country, o.phone,
                   o.email.strip(), o.vat)


def sage_customer_rows(m: DemoBuilder):
    for r in sorted(m.sage_rows, key=lambda r: r.recordno):
        yield (r.recordno, r.customerid, r.name, r.status, "", r.objectrestriction, r.taxid,
               r.displaycontact_taxid, r.email_1, r.email_2, r.phone_1, r.cellphone, r.first,
               r.last, r.companyname, r.zip, r.country, fmt_ts(r.created), fmt_ts(r.modified),
               fmt_ts(r.synced), fmt_bool(r.deleted, r.deleted_style if r.deleted else "word"))


def sage_sodocument_rows(m: DemoBuilder):
    for d in sorted(m.sodocs, key=lambda d: d.recordno):
        yield (d.recordno, f"Sales Order-SO{d.recordno + 4000:05d}", d.customer.customerid,
               d.ponumber(), "", fmt_ts(d.created), d.state, fmt_bool(d.deleted, "word"))


TABLE_WRITERS = {
    ("shopify", "customer"): shopify_customer_rows,
    ("shopify", "customer_address"): shopify_customer_address_rows,
    ("shopify", "customer_tag"): shopify_customer_tag_rows,
    ("shopify", "metafield"): shopify_metafield_rows,
    ("shopify", "order"): shopify_order_rows,
    ("bigcommerce", "customer"): bigcommerce_customer_rows,
    ("bigcommerce", "customer_address"): bigcommerce_customer_address_rows,
    ("bigcommerce", "customer_attribute"): bigcommerce_customer_attribute_rows,
    ("bigcommerce", "customer_attribute_value"): bigcommerce_customer_attribute_value_rows,
    ("bigcommerce", "orders"): bigcommerce_order_rows,
    ("adobe_commerce", "customer_entity"): adobe_customer_entity_rows,
    ("adobe_commerce", "customer_address_entity"): adobe_customer_address_entity_rows,
    ("adobe_commerce", "company"): adobe_company_rows,
    ("adobe_commerce", "company_advanced_customer_entity"): adobe_company_link_rows,
    ("adobe_commerce", "sales_order"): adobe_sales_order_rows,
    ("adobe_commerce", "sales_order_address"): adobe_sales_order_address_rows,
    ("sage_intacct", "customer"): sage_customer_rows,
    ("sage_intacct", "sodocument"): sage_sodocument_rows,
}


def assign_address_ids(m: DemoBuilder) -> None:
    bases = {"shopify": 8_100_330_000_000, "bigcommerce": 3_001, "adobe_commerce": 1_201}
    for storefront, base in bases.items():
        k = 0
        for customer in sorted(m.customers[storefront], key=lambda c: c.id):
            for address in customer.addresses:
                address.id = base + k * (7 if storefront == "shopify" else 1)
                k += 1


def write_csv(path: Path, columns: Sequence[str], rows) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            assert len(row) == len(columns), (path, row)
            writer.writerow(["" if value is None else value for value in row])
            count += 1
    return count


# --------------------------------------------------------------------------------------
# Expected answers (from the intent of each case) and the README
# --------------------------------------------------------------------------------------


def expected_absent_rows(m: DemoBuilder):
    for case in sorted(m.cases, key=lambda c: (COHORTS.index(c.cohort), c.key)):
        yield (case.key, case.customer_type, case.cohort, len(case.orders),
               fmt_money(sum(o.total for o in case.orders)),
               "awaiting_sync" if case.awaiting_sync else "missing",
               fmt_bool(case.suspected is not None),
               case.suspected.customerid if case.suspected else "",
               sum(1 for o in case.orders if o.posted_to_holding),
               fmt_bool(case.name_matches_sage))


def expected_reconciliation_rows(m: DemoBuilder):
    selectors = {
        "match_key_choice": lambda c: c.name_matches_sage,
        "generic_holding_customer": lambda c: any(o.posted_to_holding for o in c.orders),
        "sync_timing": lambda c: c.awaiting_sync,
        "duplicate_email_merge": lambda c: c.suspected is not None,
        "b2b_vs_dtc_scope": lambda c: c.customer_type == "dtc",
        "multi_entity_master": lambda c: False,  # single entity
        "inactive_customer_records": lambda c: c.cohort == "inactive_in_sage",
    }
    for reason in RECONCILIATION_REASONS:
        chosen = [c for c in m.cases if selectors[reason](c)]
        yield (reason, len(chosen), sum(len(c.orders) for c in chosen))


# The sibling cards (single entity: entity_id empty; as_of = the demo's gap_as_of).


def expected_vat_mismatch_rows(m: DemoBuilder):
    for case in sorted((c for c in m.vat_cases if c.mismatch), key=lambda c: c.key):
        yield ("", case.key, case.customer_name, case.matched_on, case.sage.customerid,
               ", ".join(sorted(case.store_vats)), case.sage_vat, case.mismatch,
               len(case.orders), fmt_money(sum(o.total for o in case.orders)), fmt_ts(GAP_AS_OF))


def window_orders(m: DemoBuilder):
    return sorted((o for o in m.orders if o.is_valid and o.in_window),
                  key=lambda o: (o.created_at, o.storefront, o.id))


def orders_without_sage_order(m: DemoBuilder):
    return [o for o in window_orders(m) if not m.has_sage_order(o)]


def expected_orders_without_sage_order_rows(m: DemoBuilder):
    for o in orders_without_sage_order(m):
        yield ("", o.storefront, o.id, o.number, fmt_ts(o.created_at), m.customer_key_of(o),
               fmt_bool(m.is_absent_order(o)), o.currency, fmt_money(o.total),
               "awaiting_sync" if o.created_at > SAGE_LAST_SYNC else "missing", fmt_ts(GAP_AS_OF))


def ordering_customers(m: DemoBuilder) -> dict[str, tuple[str, bool]]:
    """customer_key -> (customer_type, is_absent) of every customer with a valid order in
    the window, as each case and each present customer was built."""
    absent = {case.key: case.customer_type for case in m.cases}
    ordering = {}
    for order in window_orders(m):
        key = m.customer_key_of(order)
        customer_type = absent.get(key) or ("b2b" if m.company_of(order) else "dtc")
        assert ordering.setdefault(key, (customer_type, key in absent)) == \
            (customer_type, key in absent), key
    return ordering


def sage_active_rows(m: DemoBuilder):
    """Sage rows a finance lead counts as active customers at the snapshot."""
    return [r for r in m.sage_rows if not r.deleted and r.created <= GAP_AS_OF
            and r.status.lower() == "active" and r.customerid != HOLDING_CUSTOMER_ID]


def expected_match_rate_rows(m: DemoBuilder):
    ordering = ordering_customers(m)
    counts = []
    for types in (("b2b", "dtc"), ("b2b",), ("dtc",)):
        chosen = [absent for customer_type, absent in ordering.values() if customer_type in types]
        counts += [len(chosen), chosen.count(False), chosen.count(True)]
    rate = f"{counts[1] / counts[0]:.4f}" if counts[0] else ""
    yield ("", *counts, rate, len(sage_active_rows(m)), fmt_ts(GAP_AS_OF))
