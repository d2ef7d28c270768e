"""The present population: seeded random customers matched in Sage around the cast,
built from values the cast never uses, so it cannot change the expected answer."""

from __future__ import annotations

from datetime import timedelta

from .constants import (
    DTC_TAGS,
    GAP_AS_OF,
    HISTORY_START,
    MATCH_STYLE_TEXT,
    SAGE_LAST_SYNC,
    WINDOW_START,
)
from .core import BuilderBase
from .model import (
    AccountRef,
    Company,
    IdentityKey,
    Order,
    Person,
    SoDocument,
    StoreCustomer,
    VatCase,
)
from .values import fold_company, next_sync_after, utc


class PresentPopulation(BuilderBase):
    """The matched customers around the cast, and their Sage rows and holding postings."""

    def build_present_dtc(self) -> None:
        size = self.size
        in_window_counts = (1, 1, 1, 1, 1, 1, 2, 2, 3)

        present_shopify: list[StoreCustomer] = []

        def present(storefront, in_window, history):
            person = self.person(phone=self.chance(0.8))
            start = self.history_time(WINDOW_START - timedelta(days=10)) if history else None
            # A first-time buyer's record is created just before the first order (settled below).
            customer = self.store_customer(storefront, person, start or GAP_AS_OF)
            if storefront == "shopify":
                customer.tags = self.rng.sample(DTC_TAGS, self.rng.choice((0, 0, 1, 1, 2)))
            orders = self.orders_for(customer, in_window, history, first_at=start)
            self.sage_person(person, min(o.created_at for o in orders),
                             name=self.sage_name_variant(person))
            if storefront == "shopify" and in_window:
                present_shopify.append(customer)
            return customer, orders

        for _ in range(size.shopify_dtc_in_window):
            present("shopify", self.rng.choice(in_window_counts), self.rng.randint(0, 4))
        for _ in range(size.adobe_dtc_in_window):
            present("adobe_commerce", self.rng.choice(in_window_counts), self.rng.randint(0, 3))
        for _ in range(size.dtc_history_only):
            storefront = "shopify" if self.chance(0.75) else "adobe_commerce"
            present(storefront, 0, self.rng.randint(1, 3))
        for index in range(size.guest_dtc_in_window):
            storefront = ("shopify", "adobe_commerce", "bigcommerce")[index % 3]
            person = self.person()
            orders = []
            for _ in range(self.rng.randint(0, 2)):
                orders.append(self.order(storefront, self.history_time(), person=person,
                                         customer_id_raw="0" if storefront == "bigcommerce" else ""))
            orders.append(self.order(storefront, self.window_time(), person=person,
                                     customer_id_raw="0" if storefront == "bigcommerce" else ""))
            self.sage_person(person, min(o.created_at for o in orders))
        for _ in range(size.registered_never_ordered):
            storefront = "shopify" if self.chance(0.7) else "adobe_commerce"
            self.store_customer(storefront, self.person(), self.history_time(GAP_AS_OF))
        for _ in range(size.sage_only_people):
            self.sage_person(self.person(), self.random_time(utc(2021, 1, 1), HISTORY_START))

        # Named presence traps.
        person = self.person("Jane", "Doe", email="jane.doe@example.com")
        customer = self.store_customer("shopify", person, utc(2025, 12, 1, 10, 0),
                                       email_raw="Jane.Doe@Example.com ")
        orders = self.orders_for(customer, 1, 1, first_at=customer.created_at)
        row = self.sage_person(person, orders[0].created_at, email_1="jane.doe@example.com",
                               status="active")
        self.trap("P01", "shopify", "E-mail 'Jane.Doe@Example.com ' (case, trailing space) vs "
                  "Sage 'jane.doe@example.com'", "present", [customer, row])

        person = self.person("Rosalind", "Achebe")
        other = self.reg.claim_email("r.achebe@achebe-consulting.co.uk")
        row = self.sage_person(person, utc(2025, 11, 1), email_1=f"{other}; {person.email}")
        customer = self.store_customer("shopify", person, utc(2025, 11, 1, 9, 0))
        self.orders_for(customer, 1, 1, first_at=customer.created_at)
        self.trap("P02", "shopify", "Sage displaycontact_email_1 holds two addresses "
                  "'a@x; b@y'; the customer's is the second", "present", [customer, row])

        person = self.person("Tobias", "Lindgren")
        shop = self.store_customer("shopify", person, utc(2025, 10, 20, 10, 0))
        adobe = self.store_customer("adobe_commerce", person, utc(2026, 1, 5, 10, 0),
                                    email_raw=person.email.upper())
        self.orders_for(shop, 1, 2, first_at=shop.created_at)
        self.orders_for(adobe, 1, 0)
        row = self.sage_person(person, shop.created_at)
        self.trap("P03", "shopify + adobe_commerce", "Same person orders in Shopify and Adobe "
                  "Commerce under the same e-mail (different case)", "one present customer",
                  [shop, adobe, row])

        person = self.person("Eloise", "Marchetti")
        customer = self.store_customer("shopify", person, utc(2025, 11, 11, 10, 0))
        own = self.orders_for(customer, 1, 1, first_at=customer.created_at)
        guest = self.order("shopify", self.window_time(), person=person, customer_id_raw="",
                           email_raw=person.email.upper())
        row = self.sage_person(person, customer.created_at)
        self.trap("P04", "shopify", "Guest order whose e-mail equals a present customer's e-mail",
                  "merges with the customer; present", [customer, guest, row])

        person = self.person("Cormac", "Delaney")
        adobe = self.store_customer("adobe_commerce", person, utc(2025, 12, 2, 10, 0))
        self.orders_for(adobe, 1, 1, first_at=adobe.created_at)
        guest = self.order("bigcommerce", self.window_time(), person=person, customer_id_raw="0")
        row = self.sage_person(person, adobe.created_at)
        self.trap("P05", "bigcommerce + adobe_commerce", "BigCommerce guest order (customer_id 0) "
                  "under the e-mail of a present Adobe DTC customer", "present", [adobe, guest, row])

        person = self.person("Maude", "Ferrand")
        customer = self.store_customer("shopify", person, utc(2025, 12, 20, 10, 0), email_raw="")
        older_email = self.reg.email_for("Maude", "Ferrand")
        old = self.order("shopify", utc(2026, 1, 10, 10, 0), customer=customer, email_raw=older_email)
        recent = self.order("shopify", utc(2026, 4, 9, 13, 0), customer=customer,
                            email_raw=person.email)
        row = self.sage_person(person, old.created_at)
        self.trap("P06", "shopify", "Customer record with no e-mail (POS sign-up): key falls "
                  "back to the e-mail of its most recent valid order", "present",
                  [customer, recent, row])

        person = self.person("Ingrid", "Halvorsen")
        customer = self.store_customer("shopify", person, utc(2025, 10, 28, 10, 0))
        self.orders_for(customer, 2, 1, first_at=customer.created_at)
        row = self.sage_person(person, customer.created_at, status="active")
        row.objectrestriction = "RootOnly"
        self.trap("P07", "shopify", "Sage row with objectrestriction 'RootOnly' (single-entity: "
                  "still visible)", "present", [customer, row])

        person = self.person("Caspar", "Whitfield")
        customer = self.store_customer("adobe_commerce", person, utc(2025, 11, 28, 10, 0),
                                       is_active="0")
        self.orders_for(customer, 1, 1, first_at=customer.created_at)
        row = self.sage_person(person, customer.created_at, status="ACTIVE")
        self.trap("P08", "adobe_commerce", "Sage status written 'ACTIVE' (and 'Active' on other "
                  "rows): compared case-insensitively", "present", [customer, row])

        # Customers created by last night's sync (first order on 13 Apr).
        for hour in (8, 14, 19, 22):
            person = self.person()
            customer = self.store_customer("shopify", person, utc(2026, 4, 13, hour, 0))
            order = self.order("shopify", utc(2026, 4, 13, hour, 7), customer=customer)
            row = self.sage_person(person, order.created_at)
            row.created = row.modified = SAGE_LAST_SYNC - timedelta(minutes=self.rng.randint(2, 20))
            row.synced = SAGE_LAST_SYNC
        # Orders after the snapshot from present customers (they do not exist yet).
        for customer in present_shopify[10:13]:
            self.order("shopify", GAP_AS_OF + timedelta(minutes=self.rng.randint(5, 300)),
                       customer=customer)

    def sage_name_variant(self, person: Person) -> str:
        roll = self.rng.random()
        if roll < 0.06:
            return person.full_name + " "
        if roll < 0.10:
            return person.full_name.upper()
        return person.full_name

    def build_present_b2b(self) -> None:
        match_styles = (
            "vat_bare", "vat_xi", "vat_displaycontact", "vat_punct", "vat_12",
            "account_ref_only", "invalid_vat_account_ref", "vat_mismatch_account_ref",
            "email_only", "vat_plain", "vat_gr", "vat_plain", "vat_bare", "vat_plain",
            "vat_displaycontact")
        name_styles = ("ltd_vs_limited", "trading_vs_registered", "trailing_ws", "same", "same",
                       "case", "same", "trading_vs_registered")

        for index in range(self.size.bigcommerce_b2b_in_window + self.size.bigcommerce_b2b_history_only):
            style = match_styles[index % len(match_styles)]
            name_style = name_styles[index % len(name_styles)]
            in_window = index < self.size.bigcommerce_b2b_in_window
            self.present_b2b_company("bigcommerce", style, name_style,
                                     in_window=self.rng.randint(1, 4) if in_window else 0,
                                     history=self.rng.randint(2, 7),
                                     contacts=2 if index % 5 == 0 else 1)
        for style, name_style in (("vat_bare", "same"), ("vat_displaycontact", "ltd_vs_limited"),
                                  ("account_ref_only", "trailing_ws"), ("vat_plain", "case")):
            self.present_b2b_company("shopify", style, name_style,
                                     in_window=self.rng.randint(1, 3), history=self.rng.randint(1, 4))
        for style, name_style in (("reseller", "same"), ("vat_plain", "trading_vs_registered"),
                                  ("vat_xi", "ltd_vs_limited"), ("vat_bare", "same")):
            self.present_b2b_company("adobe_commerce", style, name_style,
                                     in_window=self.rng.randint(1, 3), history=self.rng.randint(1, 5))
        for _ in range(self.size.sage_only_companies):
            company = self.company(contacts=1)
            self.sage_company(company, self.random_time(utc(2020, 1, 1), HISTORY_START),
                              taxid=company.vat or "")

    def present_b2b_company(self, storefront: str, style: str, name_style: str, *,
                            in_window: int, history: int, contacts: int = 1) -> None:
        is_gr = style == "vat_gr"
        company = self.company(
            vat=style not in ("account_ref_only", "email_only"), contacts=contacts,
            country="GR" if is_gr else "GB", vat_country="EL" if is_gr else "GB",
            vat_digits=12 if style == "vat_12" else 9)
        first_seen = self.history_time(WINDOW_START - timedelta(days=40))
        # What the storefront holds and what Sage holds.
        vat = company.vat or ""
        digits = vat[2:]
        store_vat = {
            "vat_bare": f"GB {digits[:3]} {digits[3:7]} {digits[7:]}",
            "vat_xi": f"XI{digits}", "vat_displaycontact": vat,
            "vat_punct": f"gb-{digits[:3]}.{digits[3:6]}.{digits[6:]}",
            "vat_12": f"GB {digits[:3]} {digits[3:7]} {digits[7:9]} {digits[9:]}",
            "invalid_vat_account_ref": "GB12345", "vat_plain": vat,
            "vat_gr": f"GR {digits}", "reseller": "",
        }.get(style, "")
        if style == "vat_mismatch_account_ref":
            store_vat = self.reg.vat()
        sage_taxid = {
            "vat_bare": digits, "vat_xi": vat, "vat_displaycontact": "N/A",
            "vat_punct": vat, "vat_12": digits, "vat_plain": vat, "vat_gr": vat,
            "invalid_vat_account_ref": vat, "vat_mismatch_account_ref": vat,
        }.get(style, "")
        sage_dc_taxid = vat if style == "vat_displaycontact" else ""
        store_name, sage_name = self.b2b_names(company, name_style)
        company.name, company.legal_name = store_name, sage_name
        email_1 = company.email
        if style == "email_only":
            buyer = company.contacts[0].email
            email_1 = f"{company.email}; {buyer}"
        row = self.sage_company(company, first_seen, taxid=sage_taxid,
                                displaycontact_taxid=sage_dc_taxid, name=sage_name,
                                companyname=sage_name if self.chance(0.7) else "")
        if style == "email_only":
            row.email_1 = email_1
        ref = None
        if style in ("account_ref_only", "invalid_vat_account_ref", "vat_mismatch_account_ref",
                     "reseller"):
            ref = AccountRef(row, self.rng.choice(("plain", "lower_padded", "lower")))

        made: list[Order] = []
        if storefront == "adobe_commerce":
            entry = self.adobe_company(company, first_seen - timedelta(days=2), vat_raw=store_vat,
                                       reseller=ref)
            buyers = self.contacts_of(entry)
            for _ in range(history):
                made.append(self.order(storefront, self.history_time(start=first_seen),
                                       customer=self.rng.choice(buyers)))
            for _ in range(in_window):
                made.append(self.order(storefront, self.window_time(), customer=self.rng.choice(buyers)))
            subjects = [entry, row]
        else:
            records = []
            for contact in company.contacts:
                contact.phone, contact.postcode = company.phone, company.postcode
                records.append(self.store_customer(
                    storefront, contact, first_seen - timedelta(days=2), company=company,
                    vat_raw=store_vat, account_ref=ref, group_id=self.rng.choice((2, 3)),
                    tags=["wholesale"] if storefront == "shopify" else []))
            for _ in range(history):
                made.append(self.order(storefront, self.history_time(start=first_seen),
                                       customer=self.rng.choice(records)))
            for _ in range(in_window):
                made.append(self.order(storefront, self.window_time(), customer=self.rng.choice(records)))
            # A few invalid in-window orders that must not matter.
            if storefront == "bigcommerce" and self.chance(0.3):
                made.append(self.order(storefront, self.window_time(), customer=records[0],
                                       status=self.rng.choice(("cancelled", "incomplete", "declined"))))
            subjects = [*records, row]
        # Regular Sage sales documents for the matched customer.
        for order in made:
            if order.is_valid and order.created_at < SAGE_LAST_SYNC and self.chance(0.7):
                self.sodocs.append(SoDocument(
                    customer=row, order=order, ponumber_style=self.rng.choice(("plain", "bare")),
                    state=self.rng.choice(("Closed", "Converted", "Pending")),
                    created=next_sync_after(order.created_at)))
        if name_style != "same" or style != "vat_plain":
            label = f"M{sum(1 for trap in self.traps if trap.label.startswith('M')) + 1:02d}"
            self.trap(label, storefront,
                      f"B2B matched via {MATCH_STYLE_TEXT[style]}; storefront name "
                      f"'{store_name}' vs Sage '{sage_name}' ({name_style.replace('_', ' ')})",
                      "present" if in_window else "present, no in-window order",
                      subjects)
        # The identity key its orders carry: the storefront's VAT number when it holds a
        # valid one, else the account reference, else its contact's e-mail.
        if style in ("account_ref_only", "invalid_vat_account_ref", "reseller"):
            company.identity = IdentityKey("account_ref", sage=row)
        elif style == "email_only":
            assert contacts == 1, "one contact: one e-mail, one identity"
            company.identity = IdentityKey("email", company.contacts[0].email)
        else:
            company.identity = IdentityKey("vat_number", store_vat if style ==
                                           "vat_mismatch_account_ref" else vat)
        if style == "vat_mismatch_account_ref" and in_window:
            # Matched on the account reference, and the storefront's VAT number is not the
            # one Sage holds: a case of the VAT mismatch card.
            self.vat_cases.append(VatCase(
                label=self.traps[-1].label, storefront=storefront, key=company.identity.render(),
                customer_name=store_name, customer_type="b2b", matched_on="account_ref",
                sage=row, store_vats=(store_vat,), sage_vat=vat, mismatch="vat_differs",
                orders=[o for o in made if o.is_valid and o.in_window],
                what="Present trade account (above): matched on the account reference, and "
                     "BigCommerce holds another VAT number than Sage's taxid",
                subjects=subjects))

    def b2b_names(self, company: Company, name_style: str) -> tuple[str, str]:
        """(storefront name, Sage name) of a matched company: names that differ on purpose."""
        trading, legal = company.name, company.legal_name
        if name_style == "ltd_vs_limited":
            names = (f"{trading} Ltd", f"{trading} Limited")
        elif name_style == "trading_vs_registered":
            contact = company.contacts[0]
            names = (trading, f"{contact.first} {contact.last} Holdings Limited")
        elif name_style == "trailing_ws":
            names = (legal, legal + "  ")
        elif name_style == "case":
            names = (legal, legal.upper())
        else:
            names = (legal, legal)
        for name in names:  # reserve the variants so no other company takes them
            self.reg.company_names.add(fold_company(name))
        return names

    def build_holding_for_present(self) -> None:
        """Some present customers' orders also sit on WEBSALES: they stay present."""
        candidates = [o for o in self.orders if o.customer is not None and o.is_valid
                      and o.in_window and o.created_at < SAGE_LAST_SYNC
                      and o.storefront == "shopify" and not o.posted_to_holding
                      and not self.is_cast_order(o)]
        chosen = candidates[5:8]
        for order in chosen:
            self.post_to_holding(order, self.rng.choice(("plain", "bare")))
        self.trap("H01", "shopify", "WEBSALES sales documents for orders of matched customers",
                  "those customers stay present; the holding row never matches anyone",
                  chosen)
        # Ordinary sales orders for a sample of present DTC orders.
        holding_or_cast = {id(o) for o in self.orders if o.posted_to_holding or self.is_cast_order(o)}
        for order in self.orders:
            if id(order) in holding_or_cast or not order.is_valid:
                continue
            if order.created_at < SAGE_LAST_SYNC and order.customer is not None \
                    and order.customer.company is None and order.customer.adobe_company is None \
                    and self.chance(0.15):
                row = self.sage_row_by_email(order.customer.person.email)
                if row is not None:
                    self.sodocs.append(SoDocument(
                        customer=row, order=order, ponumber_style="plain",
                        state=self.rng.choice(("Closed", "Converted")),
                        created=next_sync_after(order.created_at)))
