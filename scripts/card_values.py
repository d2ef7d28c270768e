"""What both cards (scripts/print_card.py, scripts/html_card.py) say the same way:
amounts with their currency, and reconciliation reasons in words."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

import duckdb

# The reconciliation mart names each reason by a code (its seed's key); the card says it
# in words, as the card's own table does. A reason added to the seed without a label here
# reads as its code with spaces, never as nothing.
REASON_LABELS = {
    "match_key_choice": "Match-key choice",
    "generic_holding_customer": "Generic holding customer",
    "sync_timing": "Sync timing",
    "duplicate_email_merge": "Duplicate-email merge",
    "b2b_vs_dtc_scope": "B2B vs DTC scope",
    "multi_entity_master": "Multi-entity master",
    "inactive_customer_records": "Inactive customer records",
}


def reason_label(reason: str) -> str:
    return REASON_LABELS.get(reason, reason.replace("_", " ").capitalize())


def rows(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    cursor = con.execute(sql, params or [])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


@dataclass
class Amount:
    """A sum of order totals as the card shows it: one figure per currency. The marts
    sum order totals as they are (`order_value_attached`, `order_value`,
    `order_value_in_window`); the orders mart carries each order's currency, so the card
    says which currency a figure is in, and when one set of orders mixes currencies it
    shows a figure per currency instead of their meaningless sum. A set without orders
    reads 0.00 in its entity's currency (when the entity has one)."""

    total: Decimal | None
    by_currency: dict[str | None, Decimal] = field(default_factory=dict)
    currency_when_none: str | None = None

    @property
    def parts(self) -> list[tuple[str | None, Decimal]]:
        known = sum(self.by_currency.values(), Decimal(0))
        if self.by_currency and (self.total is None or known == self.total):
            return sorted(self.by_currency.items(), key=lambda item: (item[0] is None, item[0] or ""))
        if not self.total:
            return [(self.currency_when_none, Decimal(0))] if self.currency_when_none else []
        # The orders mart does not account for the whole figure: say so rather than guess.
        return [(None, self.total)]

    @property
    def is_mixed(self) -> bool:
        return len(self.parts) > 1

    @property
    def text(self) -> str:
        parts = self.parts
        if not parts:
            return "none"
        return " + ".join(f"{currency or 'currency unknown'} {value:,.2f}" for currency, value in parts)


class Amounts:
    """The per-currency order totals of the orders mart, by entity, cohort and customer."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.entity: dict = defaultdict(lambda: defaultdict(Decimal))
        self.cohort: dict = defaultdict(lambda: defaultdict(Decimal))
        self.customer: dict = defaultdict(lambda: defaultdict(Decimal))
        try:
            orders = rows(con, """select entity_id, cohort, customer_key, currency, sum(order_total) as total
                                  from ecom_sage_customer_gap_orders group by all""")
        except duckdb.CatalogException:
            orders = []
        for order in orders:
            total = order["total"] or Decimal(0)
            self.entity[order["entity_id"]][order["currency"]] += total
            self.cohort[(order["entity_id"], order["cohort"])][order["currency"]] += total
            self.customer[(order["entity_id"], order["customer_key"])][order["currency"]] += total

    def _amount(self, entity: str | None, total: Decimal | None, found: dict) -> Amount:
        currencies = [c for c, v in self.entity.get(entity, {}).items() if v and c]
        return Amount(total=total, by_currency={c: v for c, v in found.items() if v},
                      currency_when_none=currencies[0] if len(currencies) == 1 else None)

    def of_entity(self, entity: str | None, total: Decimal | None) -> Amount:
        return self._amount(entity, total, self.entity.get(entity, {}))

    def of_cohort(self, entity: str | None, cohort: str, total: Decimal | None) -> Amount:
        return self._amount(entity, total, self.cohort.get((entity, cohort), {}))

    def of_customer(self, entity: str | None, customer_key: str, total: Decimal | None) -> Amount:
        return self._amount(entity, total, self.customer.get((entity, customer_key), {}))


MISMATCH_LABELS = {
    "vat_missing_in_sage": "missing in Sage",
    "vat_differs": "differs from Sage",
}


def mismatch_label(mismatch: str) -> str:
    return MISMATCH_LABELS.get(mismatch, mismatch.replace("_", " "))


def sibling_cards(con: duckdb.DuckDBPyConnection, entity: str | None) -> dict | None:
    """The sibling cards of one entity, or None when the database predates them: the match
    rate (who is buying against who Sage knows), the present B2B customers whose VAT number
    disagrees with Sage, and the window's orders without a Sage order (with their value per
    currency, and the largest few still missing)."""
    try:
        rate = rows(con, "select * from ecom_sage_customer_match_rate where entity_id is not distinct from ?",
                    [entity])
        mismatches = rows(con, """select * from ecom_sage_vat_mismatch where entity_id is not distinct from ?
                                  order by order_value_in_window desc, customer_key""", [entity])
        orders = rows(con, """select * from ecom_orders_without_sage_order where entity_id is not distinct from ?
                              order by order_total desc nulls last, storefront, order_id""", [entity])
    except duckdb.CatalogException:
        return None
    by_currency: dict = defaultdict(Decimal)
    for order in orders:
        by_currency[order["currency"]] += order["order_total"] or Decimal(0)
    total = sum(by_currency.values(), Decimal(0))
    return {
        "rate": rate[0] if rate else None,
        "mismatches": mismatches,
        "orders": orders,
        "orders_value": Amount(total=total, by_currency=dict(by_currency)),
        "awaiting": sum(1 for order in orders if order["sync_status"] == "awaiting_sync"),
        "absent_customers_orders": sum(1 for order in orders if order["is_customer_absent"]),
    }
