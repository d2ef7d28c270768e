"""The sibling cards' cases: trade accounts whose VAT number disagrees with Sage's, and
orders that Sage holds no sales order for; and the sales orders the nightly sync posts.

They are built once the worked example is complete, from their own seeded generator and
with ids that continue each file's sequence, so they add rows to the demo without moving
any row of the worked example."""

from __future__ import annotations

from datetime import datetime

from .constants import GAP_AS_OF, SAGE_LAST_SYNC
from .core import BuilderBase
from .model import (
    AccountRef,
    Company,
    IdentityKey,
    Order,
    SageRow,
    SalesOrderCase,
    SoDocument,
    StoreCustomer,
    VatCase,
)
from .values import Phone, Postcode, next_sync_after, utc


def spaced_vat(vat: str, prefix: str | None = None) -> str:
    """'GB123456789' as a person types it: 'GB 123 4567 89' (another prefix if given)."""
    digits = vat[2:]
    return f"{prefix or vat[:2]} {digits[:3]} {digits[3:7]} {digits[7:]}"


class SiblingCases(BuilderBase):
    """Cases of the VAT mismatch card and of the orders without a Sage order card."""

    # Orders the sync was built to leave without a sales order (the missing cases).
    not_posted: set[int]

    def bc_trade_account(self, company: Company, created: datetime, *, vat_raw: str,
                         ref: AccountRef | None = None) -> StoreCustomer:
        contact = company.contacts[0]
        contact.phone, contact.postcode = company.phone, company.postcode
        return self.store_customer("bigcommerce", contact, created, company=company,
                                   vat_raw=vat_raw, account_ref=ref, group_id=2)

    def vat_case(self, label: str, storefront: str, key: str, name: str, row: SageRow, *,
                 customer_type: str = "b2b", matched_on: str, store_vats: tuple[str, ...],
                 sage_vat: str, mismatch: str | None, orders: list[Order], what: str,
                 subjects: list) -> None:
        for order in orders:
            assert order.is_valid and order.in_window, (label, order.created_at)
        self.vat_cases.append(VatCase(
            label=label, storefront=storefront, key=key, customer_name=name,
            customer_type=customer_type, matched_on=matched_on, sage=row,
            store_vats=store_vats, sage_vat=sage_vat, mismatch=mismatch, orders=orders,
            what=what, subjects=subjects))

    # ---- B2B customers with a VAT number mismatch --------------------------------------

    def build_vat_cases(self) -> None:
        """Two mismatches (VAT missing in Sage, VAT differs) and three that are not."""

        # V01: opened over the phone; the Sage record was keyed without its VAT number.
        company = self.company("Calloway Joinery Supplies", "Calloway Joinery Supplies Ltd")
        row = self.sage_company(company, utc(2025, 11, 17, 15, 0), status="active")
        customer = self.bc_trade_account(company, utc(2025, 11, 17, 14, 30),
                                         vat_raw=spaced_vat(company.vat),
                                         ref=AccountRef(row, "plain"))
        history = [self.order("bigcommerce", utc(2026, 1, 20, 10, 5), customer=customer),
                   self.order("bigcommerce", utc(2026, 3, 3, 14, 40), customer=customer)]
        orders = [self.order("bigcommerce", utc(2026, 4, 8, 11, 30), customer=customer),
                  self.order("bigcommerce", utc(2026, 4, 10, 9, 50), customer=customer),
                  self.order("bigcommerce", utc(2026, 4, 13, 15, 20), customer=customer,
                             ts_style="bst")]
        company.identity = IdentityKey("vat_number", company.vat)
        self.vat_case(
            "V01", "bigcommerce", company.identity.render(), company.name, row,
            matched_on="account_ref", store_vats=(company.vat,), sage_vat="",
            mismatch="vat_missing_in_sage", orders=orders,
            what=f"Trade account opened over the phone: BigCommerce holds VAT "
                 f"'{customer.vat_raw}' and the Sage Customer ID; the Sage record was keyed "
                 "without a VAT number (taxid and contact tax id empty). Matched on the "
                 "account reference",
            subjects=[customer, row, *orders, *(("history", o) for o in history)])

        # V02: joined its parent's VAT group; Sage still holds its old registration.
        company = self.company("Penrose Hospitality Ltd", contacts=2,
                               domain="penrose-hospitality.co.uk")
        old_vat, group_vat = company.vat, self.reg.vat()
        row = self.sage_company(company, utc(2024, 9, 2, 9, 0), taxid=old_vat, status="active")
        entry = self.adobe_company(company, utc(2024, 9, 1, 9, 0), vat_raw=spaced_vat(group_vat),
                                   reseller=AccountRef(row, "plain"))
        buyer_a, buyer_b = self.contacts_of(entry)
        history = [self.order("adobe_commerce", utc(2026, 2, 24, 11, 0), customer=buyer_a)]
        orders = [self.order("adobe_commerce", utc(2026, 4, 9, 10, 20), customer=buyer_a),
                  self.order("adobe_commerce", utc(2026, 4, 12, 16, 5), customer=buyer_b)]
        company.identity = IdentityKey("vat_number", group_vat)
        self.vat_case(
            "V02", "adobe_commerce", company.identity.render(), company.name, row,
            matched_on="account_ref", store_vats=(group_vat,), sage_vat=old_vat,
            mismatch="vat_differs", orders=orders,
            what=f"Adobe company that joined its parent's VAT group in February: its "
                 f"vat_tax_id is the group's number '{entry.vat_raw}', Sage's taxid still "
                 f"its old registration {old_vat}. Matched on reseller_id = Sage customerid",
            subjects=[entry, row, *orders, *(("history", o) for o in history)])

        # V03: a Northern Ireland trade account quotes its XI number; Sage keyed it as GB.
        company = self.company("Lagan Valley Builders Merchants", "Lagan Valley Builders Merchants Ltd",
                               vat="GB345210764",
                               phone=Phone("44", ("28", "9649", "6217")),
                               postcode=Postcode("BT28 2AS"))
        row = self.sage_company(company, utc(2025, 8, 11, 9, 30), taxid="GB345210764",
                                status="active")
        customer = self.bc_trade_account(company, utc(2025, 8, 11, 9, 0),
                                         vat_raw="XI 345 2107 64", ref=AccountRef(row, "lower"))
        orders = [self.order("bigcommerce", utc(2026, 4, 9, 13, 10), customer=customer),
                  self.order("bigcommerce", utc(2026, 4, 13, 8, 45), customer=customer)]
        company.identity = IdentityKey("vat_number", company.vat)
        self.vat_case(
            "V03", "bigcommerce", company.identity.render(), company.name, row,
            matched_on="vat_number", store_vats=(company.vat,), sage_vat=company.vat,
            mismatch=None, orders=orders,
            what="Northern Ireland trade account: BigCommerce holds 'XI 345 2107 64', Sage "
                 "'GB345210764', the same number once normalised. It also holds the Sage "
                 "Customer ID, but the field map tries the VAT number first: matched on it",
            subjects=[customer, row, *orders])

        # V04: matched on VAT; the contact's tax id in Sage still holds an old number.
        company = self.company("Marlowe Print Finishers", "Marlowe Print Finishers Ltd")
        stale = self.reg.vat()
        digits = company.vat[2:]
        row = self.sage_company(company, utc(2025, 3, 4, 10, 0), taxid=digits,
                                displaycontact_taxid=spaced_vat(stale), status="active")
        customer = self.bc_trade_account(
            company, utc(2025, 3, 3, 16, 0),
            vat_raw=f"gb-{digits[:3]}.{digits[3:6]}.{digits[6:]}")
        orders = [self.order("bigcommerce", utc(2026, 4, 11, 10, 40), customer=customer)]
        company.identity = IdentityKey("vat_number", company.vat)
        self.vat_case(
            "V04", "bigcommerce", company.identity.render(), company.name, row,
            matched_on="vat_number", store_vats=(company.vat,), sage_vat=company.vat,
            mismatch=None, orders=orders,
            what=f"Matched on VAT: BigCommerce '{customer.vat_raw}' = Sage taxid '{digits}'; "
                 f"Sage's contact tax id still holds an old number ({stale}), which is not "
                 "Sage's VAT number when taxid has one",
            subjects=[customer, row, *orders])

        # V05: a consumer with a VAT number is not a trade account.
        person = self.person("Tamsin", "Kerrow")
        vat = self.reg.vat()
        customer = self.store_customer("adobe_commerce", person, utc(2025, 12, 4, 10, 0),
                                       vat_raw=vat)
        first = self.order("adobe_commerce", utc(2025, 12, 4, 10, 14), customer=customer)
        orders = [self.order("adobe_commerce", utc(2026, 4, 10, 20, 35), customer=customer)]
        row = self.sage_person(person, first.created_at, status="active")
        self.vat_case(
            "V05", "adobe_commerce", f"email:{person.email}", person.full_name, row,
            customer_type="dtc", matched_on="email", store_vats=(vat,), sage_vat="",
            mismatch=None, orders=orders,
            what=f"DTC customer (a sole trader on the consumer store) with taxvat {vat}; "
                 "her Sage record, matched on e-mail, has no VAT number: DTC customers are "
                 "never on the VAT card",
            subjects=[customer, row, *orders])

    # ---- Ecommerce orders without a Sage order -----------------------------------------

    def sales_order_case(self, label: str, order: Order, key: str, expect: str, what: str,
                         subjects: list) -> None:
        assert order.is_valid and order.in_window, (label, order.created_at)
        self.sales_order_cases.append(SalesOrderCase(
            label=label, storefront=order.storefront, order=order, key=key, expect=expect,
            what=what, subjects=subjects))

    def build_sales_order_cases(self) -> None:
        """Orders of customers Sage knows that have no live Sage sales order at the
        snapshot (and one that has, against the wrong account)."""
        self.not_posted = set()

        # S01: the connector skipped a consumer order.
        person = self.person("Rhiannon", "Pryce")
        customer = self.store_customer("shopify", person, utc(2025, 12, 6, 18, 0))
        first = self.order("shopify", utc(2025, 12, 6, 18, 12), customer=customer)
        order = self.order("shopify", utc(2026, 4, 10, 14, 25), customer=customer)
        pryce = self.sage_person(person, first.created_at, status="active")
        self.not_posted.add(id(order))
        self.sales_order_case(
            "S01", order, f"email:{person.email}", "missing",
            "Present customer (matched on e-mail); the sync of 11 Apr did not create a sales "
            "order for this order: listed as missing",
            [customer, order, pryce])

        # S02 / S03: a trade account, one order posted, one skipped, one after the sync.
        company = self.company("Brackley Catering Equipment", "Brackley Catering Equipment Ltd")
        row = self.sage_company(company, utc(2025, 6, 2, 9, 0), taxid=company.vat,
                                status="active")
        customer = self.bc_trade_account(company, utc(2025, 6, 1, 9, 0), vat_raw=company.vat)
        company.identity = IdentityKey("vat_number", company.vat)
        key = company.identity.render()
        history = self.order("bigcommerce", utc(2026, 3, 17, 12, 0), customer=customer)
        posted = self.order("bigcommerce", utc(2026, 4, 8, 9, 15), customer=customer)
        skipped = self.order("bigcommerce", utc(2026, 4, 11, 16, 5), customer=customer)
        late = self.order("bigcommerce", utc(2026, 4, 14, 8, 5), customer=customer)
        self.not_posted.add(id(skipped))
        self.sales_order_case(
            "S02", skipped, key, "missing",
            "Trade account matched on VAT: its 8 Apr order has a sales order, this one (11 Apr) "
            "was never created in Sage: listed as missing",
            [customer, skipped, ("posted", posted), ("history", history), row])
        self.sales_order_case(
            "S03", late, key, "awaiting_sync",
            "The same account ordering at 08:05 on 14 Apr, after the 03:00 sync: listed as "
            "awaiting_sync (the next sync should post it)",
            [customer, late, row])

        # S04: the only sales order was deleted in Sage.
        person = self.person("Gideon", "Ashworth")
        customer = self.store_customer("adobe_commerce", person, utc(2026, 1, 15, 19, 0))
        first = self.order("adobe_commerce", utc(2026, 1, 15, 19, 20), customer=customer)
        order = self.order("adobe_commerce", utc(2026, 4, 9, 19, 40), customer=customer)
        row = self.sage_person(person, first.created_at, status="active")
        self.sodocs.append(SoDocument(customer=row, order=order, deleted=True, state="Pending",
                                      created=next_sync_after(order.created_at)))
        self.sales_order_case(
            "S04", order, f"email:{person.email}", "missing",
            "Present customer; the sync created a sales order for it, later deleted in Sage "
            "(_fivetran_deleted = true): a deleted document does not count, listed as missing",
            [customer, order, row])

        # S05: keyed by hand after the snapshot.
        person = self.person("Lowri", "Maddock")
        customer = self.store_customer("shopify", person, utc(2025, 10, 29, 12, 0))
        first = self.order("shopify", utc(2025, 10, 29, 12, 30), customer=customer)
        order = self.order("shopify", utc(2026, 4, 13, 11, 20), customer=customer)
        row = self.sage_person(person, first.created_at, status="active")
        self.sodocs.append(SoDocument(customer=row, order=order, state="Pending",
                                      created=utc(2026, 4, 14, 9, 40)))
        self.sales_order_case(
            "S05", order, f"email:{person.email}", "missing",
            "Present customer; the sync missed it and finance keyed the sales order by hand at "
            "09:40 on 14 Apr, after the 09:00 snapshot: at 09:00 it does not exist yet, "
            "listed as missing",
            [customer, order, row])

        # S06: posted against the wrong Sage customer: Sage still has the order.
        person = self.person("Ffion", "Pryce-Jenkins")
        customer = self.store_customer("shopify", person, utc(2025, 11, 21, 9, 0))
        first = self.order("shopify", utc(2025, 11, 21, 9, 25), customer=customer)
        order = self.order("shopify", utc(2026, 4, 12, 13, 50), customer=customer)
        row = self.sage_person(person, first.created_at, status="active")
        self.sodocs.append(SoDocument(customer=pryce, order=order, state="Pending",
                                      created=next_sync_after(order.created_at)))
        self.sales_order_case(
            "S06", order, f"email:{person.email}", "not listed",
            "Present customer whose sales order was posted against another customer's "
            "account (Rhiannon Pryce's): Sage has the order, whatever its customer, so it "
            "is not listed",
            [customer, order, ("own record", row), ("posted to", pryce)])

    # ---- The nightly sync's sales orders -----------------------------------------------

    def post_sales_orders(self) -> None:
        """The sales orders a nightly sync would have created: one for every valid order,
        placed before the last sync, of a customer with a live Sage record, unless Sage
        already has a document for it or a case says the sync skipped it. Orders of the
        absent customers have none (some sit on WEBSALES), as in the worked example."""
        rows_by_owner: dict[int, list[SageRow]] = {}
        for row in self.sage_rows:
            if row.owner is not None and not row.deleted:
                rows_by_owner.setdefault(id(row.owner), []).append(row)
        documented = {id(doc.order) for doc in self.sodocs}
        cast = {id(order) for case in self.cases for order in case.orders}
        for order in sorted(self.orders, key=lambda o: o.seq):
            if not order.is_valid or order.created_at >= SAGE_LAST_SYNC or \
                    id(order) in documented or id(order) in cast or id(order) in self.not_posted:
                continue
            owner = self.company_of(order) or order.person
            rows = rows_by_owner.get(id(owner), [])
            if not rows:
                continue  # a customer Sage does not know
            row = min(rows, key=lambda r: (r.status.lower() != "active", r.created))
            created = next_sync_after(order.created_at)
            state = "Pending" if order.in_window else self.rng.choice(("Closed", "Converted"))
            self.sodocs.append(SoDocument(
                customer=row, order=order, ponumber_style=self.rng.choice(("plain", "bare")),
                state=state, created=created))

    @staticmethod
    def company_of(order: Order) -> Company | None:
        customer = order.customer
        if customer is None:
            return None
        return customer.company or (customer.adobe_company.company
                                    if customer.adobe_company else None)

    # ---- What each order was built to read ---------------------------------------------

    def customer_key_of(self, order: Order) -> str:
        """The identity key the order's customer was built to have."""
        for case in self.cases:
            if order in case.orders:
                return case.key
        company = self.company_of(order)
        if company is not None:
            assert company.identity is not None, (company.name, "a company without its key")
            return company.identity.render()
        return f"email:{order.person.email}"

    def is_absent_order(self, order: Order) -> bool:
        return any(order in case.orders for case in self.cases)

    def has_sage_order(self, order: Order) -> bool:
        """A live sales document that exists at the snapshot carries the order's number."""
        return any(doc.order is order and not doc.deleted and doc.created <= GAP_AS_OF
                   for doc in self.sodocs)

    def check_sibling_intent(self) -> None:
        """Guard the sibling cases against their own construction."""
        for case in self.vat_cases:
            derived = None
            if case.customer_type == "b2b" and case.matched_on != "vat_number" and case.store_vats:
                if not case.sage_vat:
                    derived = "vat_missing_in_sage"
                elif case.sage_vat not in case.store_vats:
                    derived = "vat_differs"
            assert case.mismatch == derived, (case.label, case.mismatch, derived)
        for case in self.sales_order_cases:
            listed = not self.has_sage_order(case.order)
            after_sync = case.order.created_at > SAGE_LAST_SYNC
            expect = ("awaiting_sync" if after_sync else "missing") if listed else "not listed"
            assert case.expect == expect, (case.label, case.expect, expect)
        for doc in self.sodocs:
            assert doc.created >= doc.order.created_at, "a sales order follows its order"
        numbers = [o.number.strip().lower().removeprefix("#") for o in self.orders]
        assert len(numbers) == len(set(numbers)), "a PO number reaches one order only"
        window = [o for o in self.orders if o.is_valid and o.in_window]
        before_sync = [o for o in window if o.created_at <= SAGE_LAST_SYNC
                       and not self.is_absent_order(o) and not self.has_sage_order(o)]
        expected = {id(c.order) for c in self.sales_order_cases if c.expect == "missing"}
        assert {id(o) for o in before_sync} == expected, "only the cases miss a sales order"

    # ---- Ids after the worked example's --------------------------------------------------

    def assign_new_ids(self) -> None:
        """Ids for the rows added after the worked example: each sequence continues where
        the worked example's ends (so these ids do not follow creation time)."""
        by_time = lambda item: (item.created_at, item.seq)  # noqa: E731
        for storefront in ("shopify", "bigcommerce", "adobe_commerce"):
            customers = self.customers[storefront]
            start = sum(1 for c in customers if c.id)
            for k, customer in enumerate(sorted((c for c in customers if not c.id), key=by_time),
                                         start=start):
                customer.id = {"shopify": 7_400_112_000_000 + k * 1_013,
                               "bigcommerce": 101 + k, "adobe_commerce": 201 + k}[storefront]
            orders = [o for o in self.orders if o.storefront == storefront]
            start = sum(1 for o in orders if o.id)
            for k, order in enumerate(sorted((o for o in orders if not o.id), key=by_time),
                                      start=start):
                if storefront == "shopify":
                    order.id, order.number = 5_610_042_000_000 + k * 1_009, f"#{1001 + k}"
                elif storefront == "bigcommerce":
                    order.id = 60_001 + k
                    order.number = str(order.id)
                else:
                    order.id = 5_001 + k
                    order.number = f"{101 + k:09d}"
        for k, entry in enumerate(self.adobe_companies):
            entry.id = entry.id or 31 + k
        counter = 1 + max(int(r.customerid[1:]) for r in self.sage_rows
                          if r.customerid[:1] == "C" and r.customerid[1:].isdigit())
        start = max(r.recordno for r in self.sage_rows)
        new_rows = [r for r in self.sage_rows if not r.recordno]
        order_of = {id(row): k for k, row in enumerate(new_rows)}
        for k, row in enumerate(sorted(new_rows, key=lambda r: (r.created, order_of[id(r)])),
                                start=start + 1):
            row.recordno = k
            if not row.customerid:
                row.customerid = f"C{counter:05d}"
                counter += 1
        start = max(d.recordno for d in self.sodocs)
        new_docs = sorted((d for d in self.sodocs if not d.recordno),
                          key=lambda d: (d.created, d.order.seq))
        for k, doc in enumerate(new_docs, start=start + 1):
            doc.recordno = k
