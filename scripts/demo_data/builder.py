"""The demo builder: the case families put together, then ids in creation-time order
and a check of the cast's intent."""

from __future__ import annotations

import random

from .cast_b2b import B2bCast
from .cast_dtc import DtcCast
from .cast_siblings import SiblingCases
from .cast_traps import ExcludedTraps
from .constants import SAGE_LAST_SYNC
from .present import PresentPopulation


class DemoBuilder(DtcCast, B2bCast, ExcludedTraps, PresentPopulation, SiblingCases):
    """The whole demo merchant: the cast first, then the present population, then the
    sibling cards' cases and the sync's sales orders."""

    def build(self) -> "DemoBuilder":
        self.build_dtc_new()
        self.build_dtc_duplicates()
        self.build_b2b_absent()
        self.build_excluded_traps()
        self.build_present_dtc()
        self.build_present_b2b()
        self.build_holding_for_present()
        self.assign_ids()
        self.check_intent()
        self.build_siblings()
        return self

    def build_siblings(self) -> None:
        """The sibling cards' cases, once the worked example is complete: drawn from their
        own seeded generator (the worked example's draws stay as they were) and given ids
        after the worked example's, so they only add rows."""
        self.rng = random.Random(f"{self.seed}:siblings")
        self.reg = self.reg.drawing_with(self.rng)
        self.build_vat_cases()
        self.build_sales_order_cases()
        self.post_sales_orders()
        self.assign_new_ids()
        self.check_intent()
        self.check_sibling_intent()

    def assign_ids(self) -> None:
        by_time = lambda item: (item.created_at, item.seq)  # noqa: E731
        shopify = sorted(self.customers["shopify"], key=by_time)
        for k, customer in enumerate(shopify):
            customer.id = 7_400_112_000_000 + k * 1_013
        for k, customer in enumerate(sorted(self.customers["bigcommerce"], key=by_time)):
            customer.id = 101 + k
        for k, customer in enumerate(sorted(self.customers["adobe_commerce"], key=by_time)):
            customer.id = 201 + k
        for k, entry in enumerate(self.adobe_companies):
            entry.id = 31 + k
        for storefront in ("shopify", "bigcommerce", "adobe_commerce"):
            orders = sorted((o for o in self.orders if o.storefront == storefront), key=by_time)
            for k, order in enumerate(orders):
                if storefront == "shopify":
                    order.id, order.number = 5_610_042_000_000 + k * 1_009, f"#{1001 + k}"
                elif storefront == "bigcommerce":
                    order.id = 60_001 + k
                    order.number = str(order.id)
                else:
                    order.id = 5_001 + k
                    order.number = f"{101 + k:09d}"
        counter = 101
        order_of = {id(row): k for k, row in enumerate(self.sage_rows)}
        for k, row in enumerate(sorted(self.sage_rows, key=lambda r: (r.created, order_of[id(r)]))):
            row.recordno = k + 1
            if not row.customerid:
                row.customerid = f"C{counter:05d}"
                counter += 1
        for k, doc in enumerate(sorted(self.sodocs, key=lambda d: (d.created, d.order.seq))):
            doc.recordno = k + 1

    def check_intent(self) -> None:
        """Guard the construction against itself (not a re-implementation of the card)."""
        totals: dict[str, tuple[int, int]] = {}
        for case in self.cases:
            customers, orders = totals.get(case.cohort, (0, 0))
            totals[case.cohort] = (customers + 1, orders + len(case.orders))
        wanted = {"dtc_new": (21, 21), "dtc_returning_email_changed": (6, 9),
                  "b2b_new_account": (5, 14), "b2b_vat_not_keyed": (2, 7)}
        assert totals == wanted, totals  # the cast does not depend on the population size
        synced = max(row.synced for row in self.sage_rows)
        assert synced == SAGE_LAST_SYNC, synced
        keys = [case.key for case in self.cases]
        assert len(keys) == len(set(keys)), "duplicate identity keys in the cast"
