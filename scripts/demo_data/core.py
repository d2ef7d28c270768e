"""The builder's shared tools: seeded random choices and the makers of people,
storefront records, orders and Sage rows that every case family uses."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from .constants import (
    BST_START,
    DEFAULT_SEED,
    EMAIL_DOMAINS,
    GAP_AS_OF,
    HISTORY_BC_STATUSES,
    HISTORY_START,
    HOLDING_CUSTOMER_ID,
    SAGE_LAST_SYNC,
    UTC,
    VALID_BC_STATUSES,
    WINDOW_START,
)
from .model import (
    AbsentCase,
    AccountRef,
    Address,
    AdobeCompany,
    Company,
    Order,
    Person,
    SageRow,
    SalesOrderCase,
    SoDocument,
    StoreCustomer,
    Trap,
    VatCase,
)
from .registry import PopulationSize, Registry
from .values import (
    PHONE_STYLES,
    POSTCODE_STYLES,
    Phone,
    Postcode,
    ascii_slug,
    fmt_bool,
    fold_company,
    next_sync_after,
)


class BuilderBase:
    """State of the demo merchant being built and the makers every case family uses."""

    def __init__(self, seed: int = DEFAULT_SEED, size: PopulationSize | None = None):
        self.seed = seed
        self.rng = random.Random(seed)
        self.reg = Registry(self.rng)
        self.size = size or PopulationSize()
        self.customers: dict[str, list[StoreCustomer]] = {
            "shopify": [], "bigcommerce": [], "adobe_commerce": []}
        self.adobe_companies: list[AdobeCompany] = []
        self.orders: list[Order] = []
        self.sage_rows: list[SageRow] = []
        self.sodocs: list[SoDocument] = []
        self.cases: list[AbsentCase] = []
        self.traps: list[Trap] = []
        self.vat_cases: list[VatCase] = []
        self.sales_order_cases: list[SalesOrderCase] = []
        self._seq = 0
        self.holding = self._holding_row()

    # ---- small random helpers ---------------------------------------------------------

    def next_seq(self) -> int:
        self._seq += 1
        return self._seq

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def ts_style(self, dt: datetime) -> str:
        roll = self.rng.random()
        if roll < 0.10:
            return "naive"
        if roll < 0.17 and dt >= BST_START:
            return "bst"
        return "z"

    def bool_style(self) -> str:
        roll = self.rng.random()
        if roll < 0.05:
            return "digit"
        if roll < 0.08:
            return "upper"
        if roll < 0.10:
            return "yn"
        if roll < 0.15:
            return "empty"
        return "word"

    def random_time(self, start: datetime, end: datetime) -> datetime:
        """A minute-aligned instant strictly between start and end."""
        minutes = int((end - start).total_seconds() // 60)
        return start + timedelta(minutes=self.rng.randint(1, max(1, minutes - 1)))

    def window_time(self) -> datetime:
        return self.random_time(WINDOW_START, GAP_AS_OF)

    def history_time(self, end: datetime | None = None, start: datetime | None = None) -> datetime:
        return self.random_time(max(start or HISTORY_START, HISTORY_START),
                                end or (WINDOW_START - timedelta(hours=2)))

    def dtc_total(self) -> int:
        return int(self.rng.lognormvariate(4.1, 0.6) * 100) + self.rng.choice((0, 99, 50, 95))

    def b2b_total(self) -> int:
        return self.rng.randint(180_00, 4_800_00) + self.rng.choice((0, 20, 50, 99))

    def phone_text(self, phone: Phone | None, p_blank: float = 0.0) -> str:
        if phone is None or self.chance(p_blank):
            return ""
        return phone.render(self.rng.choice(PHONE_STYLES))

    def postcode_text(self, postcode: Postcode | None) -> str:
        return postcode.render(self.rng.choice(POSTCODE_STYLES)) if postcode else ""

    def email_text(self, email: str) -> str:
        """A storefront rendering of a canonical e-mail (case and padding vary)."""
        roll = self.rng.random()
        if roll < 0.12:
            return email.title()
        if roll < 0.17:
            return f" {email.upper()} "
        if roll < 0.22:
            return email.title() + " "
        return email

    # ---- people and companies ----------------------------------------------------------

    def person(self, first: str | None = None, last: str | None = None, *,
               email: str | None = None, phone: Phone | None | bool = True,
               postcode: Postcode | None | bool = True, claim_name: bool = True,
               country: str = "GB") -> Person:
        if first is None:
            first, last = self.reg.person_name()
        elif claim_name:
            self.reg.claim_person_name(first, last)
        email = self.reg.claim_email(email) if email else self.reg.email_for(first, last)
        if phone is True:
            phone = self.reg.phone()
        elif isinstance(phone, Phone):
            self.reg.claim_phone(phone)
        if postcode is True:
            postcode = self.reg.postcode()
        elif isinstance(postcode, Postcode):
            self.reg.claim_postcode(postcode)
        return Person(first, last, email, phone or None, postcode or None, country)

    def company(self, name: str | None = None, legal_name: str | None = None, *,
                vat: str | None | bool = True, domain: str | None = None,
                phone: Phone | None = None, postcode: Postcode | None = None,
                country: str = "GB", contacts: int = 1, vat_country: str = "GB",
                vat_digits: int = 9) -> Company:
        if name is None:
            stem, sector, suffix = self.reg.company_name()
            name = f"{stem} {sector}"
            legal_name = legal_name or f"{name} {suffix}"
        else:
            self.reg.claim_company_name(name)
            if legal_name and fold_company(legal_name) != fold_company(name):
                self.reg.claim_company_name(legal_name)
        legal_name = legal_name or name
        domain = domain or (ascii_slug(name, "-") + self.rng.choice((".co.uk", ".com", ".uk")))
        if vat is True:
            vat = self.reg.vat(vat_country, vat_digits)
        elif isinstance(vat, str):
            self.reg.claim_vat(vat)
        people = []
        for _ in range(contacts):
            first, last = self.reg.person_name()
            people.append(Person(first, last, self.reg.email_for(first, last, domain),
                                 None, None, country))
        return Company(
            name=name, legal_name=legal_name, vat=vat or None,
            email=self.reg.claim_email(f"accounts@{domain}"),
            phone=self.reg.claim_phone(phone) if phone else self.reg.phone(),
            postcode=self.reg.claim_postcode(postcode) if postcode else self.reg.postcode(),
            country=country, contacts=people)

    # ---- storefront records ------------------------------------------------------------

    def store_customer(self, storefront: str, person: Person, created_at: datetime, *,
                       email_raw: str | None = None, company: Company | None = None,
                       with_address: bool = True, address_phone: bool | str = True,
                       **extra) -> StoreCustomer:
        customer = StoreCustomer(
            storefront=storefront, person=person, created_at=created_at,
            email_raw=self.email_text(person.email) if email_raw is None else email_raw,
            company=company, seq=self.next_seq(), **extra)
        if storefront == "shopify" and "phone_raw" not in extra:
            customer.phone_raw = self.phone_text(person.phone, p_blank=0.4)
        if storefront == "bigcommerce" and "phone_raw" not in extra:
            customer.phone_raw = self.phone_text(company.phone if company else person.phone, 0.3)
        customer.updated_at = customer.updated_at or min(
            created_at + timedelta(days=self.rng.randint(0, 20), minutes=self.rng.randint(0, 600)),
            GAP_AS_OF - timedelta(minutes=self.rng.randint(5, 600)))
        if customer.updated_at < created_at:
            customer.updated_at = created_at
        if with_address:
            postcode = company.postcode if company else person.postcode
            phone = company.phone if company else person.phone
            if isinstance(address_phone, str):
                phone_text = address_phone
            else:
                phone_text = self.phone_text(phone, 0.3) if address_phone else ""
            customer.addresses.append(Address(
                company=company.name if company else "",
                postcode=self.postcode_text(postcode),
                country=company.country if company else person.country,
                phone=phone_text,
                is_default=fmt_bool(True, self.rng.choice(("word", "word", "yn", "digit")))))
        self.customers[storefront].append(customer)
        return customer

    def adobe_company(self, company: Company, created_at: datetime, *, vat_raw: str = "",
                      reseller: AccountRef | None = None) -> AdobeCompany:
        entry = AdobeCompany(company=company, vat_raw=vat_raw, reseller=reseller)
        self.adobe_companies.append(entry)
        for contact in company.contacts:
            self.store_customer("adobe_commerce", contact, created_at, adobe_company=entry,
                                with_address=False, group_id=2)
        return entry

    def contacts_of(self, entry: AdobeCompany) -> list[StoreCustomer]:
        return [c for c in self.customers["adobe_commerce"] if c.adobe_company is entry]

    # ---- orders ------------------------------------------------------------------------

    def order(self, storefront: str, at: datetime, *, customer: StoreCustomer | None = None,
              person: Person | None = None, status: str = "valid",
              total: int | None = None, ts_style: str | None = None,
              email_raw: str | None = None, phone_raw: str | None = None,
              zip_raw: str | None = None, customer_id_raw: str | None = None,
              is_guest: bool = False, currency: str = "GBP") -> Order:
        """An order; billing details default to the customer's person and company."""
        person = person or (customer.person if customer else None)
        company = None
        if customer is not None:
            company = customer.company or (
                customer.adobe_company.company if customer.adobe_company else None)
        b2b = company is not None
        if total is None:
            total = self.b2b_total() if b2b else self.dtc_total()
        order = Order(
            storefront=storefront, created_at=at, total=total, customer=customer,
            customer_id_raw=customer_id_raw, is_guest=is_guest or customer is None,
            email=self.email_text(person.email) if email_raw is None else email_raw,
            first=person.first, last=person.last,
            company=company.name if company else "",
            zip=self.postcode_text(company.postcode if company else person.postcode)
            if zip_raw is None else zip_raw,
            country=company.country if company else person.country,
            phone=self.phone_text(company.phone if company else person.phone, 0.25)
            if phone_raw is None else phone_raw,
            status=status, ts_style=ts_style or self.ts_style(at),
            bool_style=self.bool_style(), currency=currency, seq=self.next_seq(),
            shipping_copy=self.chance(0.5), person=person)
        if storefront == "bigcommerce":
            order.bc_status_id = {
                "valid": self.rng.choice(VALID_BC_STATUSES if at > WINDOW_START
                                         else HISTORY_BC_STATUSES),
                "cancelled": 5, "incomplete": 0, "declined": 6}.get(status, 10)
        if storefront == "adobe_commerce":
            if status == "cancelled":
                order.adobe_state = "canceled"
            else:
                order.adobe_state = self.rng.choice(
                    ("processing", "new", "processing") if at > WINDOW_START
                    else ("complete", "complete", "closed"))
            if company is not None and customer.adobe_company is not None:
                order.vat = customer.adobe_company.vat_raw
        self.orders.append(order)
        return order

    def orders_for(self, customer: StoreCustomer, in_window: int, history: int,
                   first_at: datetime | None = None) -> list[Order]:
        """Random valid orders of a present customer (none at the window edges)."""
        made = []
        start = max(first_at or HISTORY_START, HISTORY_START)
        end = WINDOW_START - timedelta(hours=2)
        for _ in range(history if start < end - timedelta(days=1) else 0):
            made.append(self.order(customer.storefront, self.history_time(end, start),
                                   customer=customer))
        for _ in range(in_window):
            made.append(self.order(customer.storefront, self.window_time(), customer=customer))
        self.settle_created(customer, made)
        return made

    def settle_created(self, customer: StoreCustomer, orders: list[Order]) -> None:
        """A record is created before its first order."""
        if orders:
            first = min(o.created_at for o in orders)
            if first <= customer.created_at:
                customer.created_at = first - timedelta(minutes=self.rng.randint(1, 90))
        customer.updated_at = max(customer.updated_at or customer.created_at, customer.created_at)

    def post_to_holding(self, order: Order, style: str = "plain", *, deleted: bool = False) -> None:
        """A Sage sales document for the holding customer, carrying the order number."""
        self.sodocs.append(SoDocument(
            customer=self.holding, order=order, ponumber_style=style, deleted=deleted,
            state=self.rng.choice(("Pending", "Closed")),
            created=next_sync_after(order.created_at) + timedelta(minutes=self.rng.randint(1, 25))))
        if not deleted and order.is_valid:
            order.posted_to_holding = True

    # ---- Sage rows ---------------------------------------------------------------------

    def _holding_row(self) -> SageRow:
        row = SageRow(
            name="Web Sales (Generic)", customerid=HOLDING_CUSTOMER_ID, status="active",
            email_1="webshop@ironbark-home.co.uk", companyname="Web Sales (Generic)",
            created=datetime(2021, 3, 1, 10, 0, tzinfo=UTC),
            modified=datetime(2026, 4, 14, 2, 55, tzinfo=UTC), synced=SAGE_LAST_SYNC)
        self.reg.claim_email(row.email_1)
        self.sage_rows.append(row)
        return row

    def sage_times(self, row: SageRow, first_seen: datetime) -> None:
        """Created by the nightly sync after first_seen; never synced after the last sync."""
        sync = next_sync_after(first_seen)
        if sync > SAGE_LAST_SYNC:  # already known to Sage (e.g. a phone order years ago)
            sync = SAGE_LAST_SYNC - timedelta(days=self.rng.randint(30, 400))
        row.created = sync - timedelta(minutes=self.rng.randint(1, 40))
        row.modified = row.created
        if self.chance(0.3):
            row.modified = max(row.created, min(
                row.created + timedelta(days=self.rng.randint(1, 60)),
                SAGE_LAST_SYNC - timedelta(minutes=self.rng.randint(1, 600))))
        row.synced = next_sync_after(row.modified)

    def sage_status(self) -> str:
        roll = self.rng.random()
        return "ACTIVE" if roll < 0.05 else "Active" if roll < 0.15 else "active"

    def sage_person(self, person: Person, first_seen: datetime, *, email_1: str | None = None,
                    email_2: str = "", status: str | None = None, name: str | None = None,
                    phone: Phone | None | bool = True, postcode: Postcode | None | bool = True,
                    first: str | None = None, last: str | None = None) -> SageRow:
        """A DTC customer row; e-mail / phone / postcode layouts vary like a real master."""
        if email_1 is None:
            email_1, email_2 = self.sage_email_cells(person.email)
        phone = person.phone if phone is True else (phone or None)
        postcode = person.postcode if postcode is True else (postcode or None)
        phone_text = self.phone_text(phone) if phone else ""
        on_cell = phone is not None and phone.groups[0] == "7700"
        row = SageRow(
            name=name if name is not None else person.full_name,
            status=status or self.sage_status(),
            email_1=email_1, email_2=email_2,
            phone_1="" if on_cell else phone_text, cellphone=phone_text if on_cell else "",
            first=person.first if first is None else first,
            last=person.last if last is None else last,
            zip=self.postcode_text(postcode), country=person.country, owner=person)
        self.sage_times(row, first_seen)
        self.sage_rows.append(row)
        return row

    def sage_email_cells(self, email: str) -> tuple[str, str]:
        roll = self.rng.random()
        if roll < 0.08:
            other = self.reg.unique_email(email.split("@")[0] + ".work",
                                          self.rng.choice(EMAIL_DOMAINS))
            return f"{other}; {email}", ""
        if roll < 0.12:
            return "", email
        if roll < 0.20:
            return email.upper(), ""
        if roll < 0.25:
            return email.title(), ""
        return email, ""

    def sage_company(self, company: Company, first_seen: datetime, *, taxid: str = "",
                     displaycontact_taxid: str = "", name: str | None = None,
                     companyname: str | None = None, email_1: str | None = None,
                     status: str | None = None) -> SageRow:
        contact = company.contacts[0] if company.contacts else None
        row = SageRow(
            name=company.legal_name if name is None else name,
            status=status or self.sage_status(), taxid=taxid,
            displaycontact_taxid=displaycontact_taxid,
            email_1=company.email if email_1 is None else email_1,
            phone_1=self.phone_text(company.phone),
            first=contact.first if contact else "", last=contact.last if contact else "",
            companyname=company.legal_name if companyname is None else companyname,
            zip=self.postcode_text(company.postcode), country=company.country, owner=company)
        self.sage_times(row, first_seen)
        self.sage_rows.append(row)
        return row

    # ---- expectations ------------------------------------------------------------------

    def absent(self, label: str, cohort: str, customer_type: str, key: str,
               orders: list[Order], storefront: str, what: str, subjects: list,
               suspected: SageRow | None = None, name_matches_sage: bool = False,
               awaiting_sync: bool = False) -> AbsentCase:
        # Guards on the construction itself: the intent must fit the dates chosen for it.
        for order in orders:
            assert order.is_valid and order.in_window, (label, order.created_at)
        earliest = min(order.created_at for order in orders)
        assert awaiting_sync == (earliest > SAGE_LAST_SYNC), label
        case = AbsentCase(
            label=label, cohort=cohort, customer_type=customer_type, key=key,
            orders=orders, storefront=storefront, what=what, subjects=subjects,
            suspected=suspected, name_matches_sage=name_matches_sage,
            awaiting_sync=awaiting_sync)
        self.cases.append(case)
        return case

    def trap(self, label: str, storefront: str, what: str, expect: str, subjects: list) -> None:
        self.traps.append(Trap(label, storefront, what, expect, subjects))

    # ---- look-ups ----------------------------------------------------------------------

    def is_cast_order(self, order: Order) -> bool:
        return any(order in case.orders for case in self.cases)

    def sage_row_by_email(self, email: str) -> SageRow | None:
        for row in self.sage_rows:
            if not row.deleted and email in (row.email_1.lower() + " " + row.email_2.lower()):
                return row
        return None
