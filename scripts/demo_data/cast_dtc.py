"""The cast, consumer cases: new customers and returning customers whose e-mail changed
(the absent ones of the dtc cohorts, and the duplicates the card must flag)."""

from __future__ import annotations

from datetime import timedelta

from .core import BuilderBase
from .model import Address, Person
from .values import Phone, Postcode, utc


class DtcCast(BuilderBase):
    """The consumer cases of the cast (absent customers and their duplicates)."""

    def build_dtc_new(self) -> None:
        """21 DTC customers whose first valid order ever is in the window (21 orders)."""

        def shopify_new(label, first, last, at, *, what, ts="z", email=None, email_raw=None,
                        name_matches=False, holding=None, subjects_extra=(), in_flight=False):
            person = self.person(first, last, email=email, claim_name=not name_matches)
            customer = self.store_customer(
                "shopify", person, at - timedelta(minutes=self.rng.randint(2, 30)),
                email_raw=email_raw)
            order = self.order("shopify", at, customer=customer, ts_style=ts)
            if holding:
                self.post_to_holding(order, holding)
            self.absent(label, "dtc_new", "dtc", f"email:{person.email}", [order], "shopify",
                        what, [customer, order, *subjects_extra], name_matches_sage=name_matches,
                        awaiting_sync=in_flight)
            return person, customer, order

        def adobe_new(label, first, last, at, *, what, ts="z", holding=None, in_flight=False):
            person = self.person(first, last)
            customer = self.store_customer(
                "adobe_commerce", person, at - timedelta(minutes=self.rng.randint(2, 30)))
            order = self.order("adobe_commerce", at, customer=customer, ts_style=ts)
            if holding:
                self.post_to_holding(order, holding)
            self.absent(label, "dtc_new", "dtc", f"email:{person.email}", [order],
                        "adobe_commerce", what, [customer, order], awaiting_sync=in_flight)
            return person, customer, order

        # N01: same name as an unrelated active Sage customer (name-based check says present).
        twin = self.person("Sarah", "Jones", email="sarah.jones.bristol@btinternet.com")
        twin_row = self.sage_person(twin, utc(2024, 6, 3, 11, 0), status="active")
        shopify_new("N01", "Sarah", "Jones", utc(2026, 4, 9, 11, 42),
                    email="sarahjones84@gmail.com", name_matches=True, holding="hash_padded",
                    what="New customer named like an unrelated Sage customer 'Sarah Jones' "
                         "(different e-mail, phone, postcode); order posted to WEBSALES",
                    subjects_extra=(("namesake", twin_row),))
        # N02: the Sage row that would have matched is deleted in Sage (_fivetran_deleted).
        person, customer, order = shopify_new(
            "N02", "Oliver", "Grant", utc(2026, 4, 10, 19, 5), ts="naive",
            email="oliver.grant@outlook.com",
            what="Sage row with the same e-mail exists but is _fivetran_deleted (ignored)")
        ghost = Person("Oliver", "Grant", person.email, self.reg.phone(), self.reg.postcode())
        ghost_row = self.sage_person(ghost, utc(2025, 2, 2, 9, 0), status="active")
        ghost_row.deleted, ghost_row.deleted_style = True, "word"
        ghost_row.synced = utc(2026, 4, 11, 3, 0)
        self.cases[-1].subjects.append(("deleted", ghost_row))
        # N03: in-flight, ordered after the 03:00Z Sage sync.
        shopify_new("N03", "Megan", "Oduya", utc(2026, 4, 14, 7, 40),
                    what="In-flight: first order at 07:40Z on 14 Apr, after the 03:00Z Sage sync",
                    in_flight=True)
        # N04: window upper edge, exactly at gap_as_of (included).
        adobe_new("N04", "Daniel", "Ferreira", utc(2026, 4, 14, 9, 0),
                  what="Order exactly at 2026-04-14T09:00:00Z (upper edge, included)",
                  in_flight=True)
        # N05: ordered exactly at the sync instant, written with a BST offset -> missing.
        shopify_new("N05", "Ruth", "Ellison", utc(2026, 4, 14, 3, 0), ts="bst",
                    what="Order at 2026-04-14T04:00:00+01:00 = exactly the last sync "
                         "(not strictly later) -> sync_status missing")
        # N06: a cancelled order months ago does not make her a returning customer.
        person, customer, order = shopify_new(
            "N06", "Harriet", "Vaughan", utc(2026, 4, 8, 16, 20), holding="bare",
            what="Earlier order (Feb) was cancelled: first *valid* order is in the window; "
                 "order posted to WEBSALES")
        customer.created_at = utc(2026, 2, 11, 10, 0)
        old = self.order("shopify", utc(2026, 2, 11, 10, 12), customer=customer, status="cancelled")
        self.cases[-1].subjects.append(old)
        # N07: an old test order does not count either.
        person, customer, order = shopify_new(
            "N07", "Kieran", "Doherty", utc(2026, 4, 11, 10, 5), ts="bst",
            what="Earlier test order (Mar) ignored: still a new customer")
        customer.created_at = utc(2026, 3, 20, 14, 0)
        old = self.order("shopify", utc(2026, 3, 20, 14, 3), customer=customer, status="test")
        self.cases[-1].subjects.append(old)
        # N08: an earlier *cancelled* guest order in Adobe Commerce under the same e-mail.
        person, customer, order = shopify_new(
            "N08", "Lena", "Marsh", utc(2026, 4, 12, 20, 30),
            what="Cancelled Adobe guest order in March under the same e-mail (cross-storefront "
                 "history, invalid): still new")
        old = self.order("adobe_commerce", utc(2026, 3, 2, 18, 20), person=person, status="cancelled",
                         email_raw=person.email.upper(), is_guest=True, customer_id_raw="")
        self.cases[-1].subjects.append(old)
        # G09 / G10: Shopify guests (no customer_id).
        for label, first, last, at, ts, holding, what in (
                ("G09", "Tariq", "Haddad", utc(2026, 4, 8, 12, 0), "z", "plain",
                 "Shopify guest checkout (empty customer_id); order posted to WEBSALES"),
                ("G10", "Bethany", "Rowe", utc(2026, 4, 7, 9, 30), "bst", None,
                 "Shopify guest, order at 2026-04-07T10:30:00+01:00 = 09:30Z (just inside)")):
            guest = self.person(first, last)
            order = self.order("shopify", at, person=guest, customer_id_raw="", ts_style=ts)
            if holding:
                self.post_to_holding(order, holding)
            self.absent(label, "dtc_new", "dtc", f"email:{guest.email}", [order], "shopify",
                        what, [order])
        # G11: Adobe guest (customer_is_guest = 1, null customer_id).
        guest = self.person("Imran", "Qureshi")
        order = self.order("adobe_commerce", utc(2026, 4, 13, 18, 45), person=guest,
                           customer_id_raw="", is_guest=True)
        self.absent("G11", "dtc_new", "dtc", f"email:{guest.email}", [order], "adobe_commerce",
                    "Adobe Commerce guest order (customer_is_guest = 1, null customer_id)", [order])
        # G12: BigCommerce guest (customer_id = 0): guests are DTC even on the B2B portal.
        guest = self.person("Nadia", "Kovac")
        order = self.order("bigcommerce", utc(2026, 4, 9, 8, 15), person=guest, customer_id_raw="0")
        self.post_to_holding(order, "padded")
        self.absent("G12", "dtc_new", "dtc", f"email:{guest.email}", [order], "bigcommerce",
                    "BigCommerce guest (customer_id = 0) -> DTC; order posted to WEBSALES "
                    "(ponumber = BigCommerce order id)", [order])
        # N13-N15: Adobe Commerce DTC records.
        adobe_new("N13", "Gemma", "Lowther", utc(2026, 4, 10, 13, 10), holding="plain",
                  what="Adobe DTC customer; order posted to WEBSALES (ponumber = increment_id)")
        adobe_new("N14", "Rory", "Buchanan", utc(2026, 4, 11, 22, 40), ts="naive",
                  what="Adobe DTC customer (timestamp without offset = UTC)")
        adobe_new("N15", "Alys", "Penhaligon", utc(2026, 4, 12, 9, 55),
                  what="Adobe DTC customer")
        # N16: cancelled then re-placed the same morning; only the valid order counts.
        person, customer, order = shopify_new(
            "N16", "Marcus", "Achterberg", utc(2026, 4, 8, 9, 52),
            what="Cancelled in-window order + valid re-order: 1 order attached")
        dup = self.order("shopify", utc(2026, 4, 8, 9, 30), customer=customer, status="cancelled")
        customer.created_at = utc(2026, 4, 8, 9, 21)
        self.cases[-1].subjects.append(dup)
        # N17: a *deleted* WEBSALES sales document for its order does not count.
        person, customer, order = shopify_new(
            "N17", "Wiktoria", "Zielinska", utc(2026, 4, 9, 17, 3),
            what="A deleted WEBSALES sodocument points at its order: not posted_to_holding")
        self.post_to_holding(order, "plain", deleted=True)
        # N18-N21: plain new Shopify customers (one with a messy e-mail cell).
        shopify_new("N18", "Felix", "Hartmann", utc(2026, 4, 13, 21, 14), ts="naive",
                    email="felix.hartmann@icloud.com", email_raw="  Felix.Hartmann@iCloud.com ",
                    what="E-mail stored with padding and mixed case")
        shopify_new("N19", "Poppy", "Lindqvist", utc(2026, 4, 10, 7, 25),
                    what="New Shopify customer")
        shopify_new("N20", "Abdul", "Rahmani", utc(2026, 4, 12, 15, 48),
                    what="New Shopify customer")
        shopify_new("N21", "Cerys", "Llewellyn", utc(2026, 4, 13, 11, 2), ts="bst",
                    what="New Shopify customer")

    def build_dtc_duplicates(self) -> None:
        """6 returning DTC customers under a new e-mail, with a fuzzy Sage match (9 orders)."""

        # D1: phone on the Shopify record 07700 900123 vs Sage cellphone +44 7700 900123.
        phone = self.reg.claim_phone(Phone("44", ("7700", "900123")))
        old = Person("Priya", "Patel", self.reg.claim_email("priya.patel@yahoo.co.uk"),
                     phone, self.reg.postcode())
        self.reg.claim_person_name("Priya", "Patel")
        sage = self.sage_person(old, utc(2025, 5, 4, 12, 0), email_1=old.email, status="active",
                                phone=None)
        sage.cellphone = "+44 7700 900123"
        old_account = self.store_customer("shopify", old, utc(2025, 5, 4, 11, 50),
                                          email_raw=old.email, phone_raw="07700 900123")
        self.order("shopify", utc(2025, 11, 20, 19, 0), customer=old_account)
        new = Person("Priya", "Patel", self.reg.claim_email("priya.p.designs@gmail.com"),
                     phone, self.reg.postcode())
        customer = self.store_customer("shopify", new, utc(2026, 4, 9, 20, 10),
                                       phone_raw="07700 900123", address_phone=False)
        orders = [self.order("shopify", utc(2026, 4, 9, 20, 16), customer=customer, phone_raw="")]
        self.absent("D1", "dtc_returning_email_changed", "dtc", f"email:{new.email}", orders,
                    "shopify", "New account under a new e-mail; phone 07700 900123 = Sage "
                    "cellphone +44 7700 900123 (old account, old e-mail)",
                    [customer, *orders, sage, ("old account", old_account)], suspected=sage,
                    name_matches_sage=True)

        # D2: address phone +44 (0)20 7946 0321 vs Sage phone 020 7946 0321; Tom vs Thomas.
        phone = self.reg.claim_phone(Phone("44", ("20", "7946", "0321")))
        self.reg.claim_person_name("Tom", "Baker")
        old = Person("Tom", "Baker", self.reg.claim_email("tom.baker@btinternet.com"), phone,
                     self.reg.postcode())
        sage = self.sage_person(old, utc(2025, 1, 14, 10, 0), email_1=old.email, status="Active",
                                phone=None)
        sage.phone_1 = "020 7946 0321"
        new = self.person("Thomas", "Baker", email="thomas.baker.1961@outlook.com", phone=None)
        new.phone = phone
        customer = self.store_customer("shopify", new, utc(2026, 4, 8, 8, 0), phone_raw="",
                                       address_phone="+44 (0)20 7946 0321")
        orders = [self.order("shopify", utc(2026, 4, 8, 8, 4), customer=customer, phone_raw=""),
                  self.order("shopify", utc(2026, 4, 12, 17, 30), customer=customer, phone_raw="",
                             ts_style="bst")]
        self.post_to_holding(orders[1], "hash_padded")
        self.absent("D2", "dtc_returning_email_changed", "dtc", f"email:{new.email}", orders,
                    "shopify", "Address phone +44 (0)20 7946 0321 = Sage phone 020 7946 0321; "
                    "Sage name 'Tom Baker' (not equal); one order posted to WEBSALES",
                    [customer, *orders, sage], suspected=sage)

        # D3: Adobe order billing telephone 0044 161 496 0555 vs Sage 0161 496 0555.
        phone = self.reg.claim_phone(Phone("44", ("161", "496", "0555")))
        old = Person("Marek", "Nowak", self.reg.claim_email("marek.nowak@wp.pl"), phone,
                     self.reg.postcode())
        self.reg.claim_person_name("Marek", "Nowak")
        sage = self.sage_person(old, utc(2024, 10, 1, 9, 0), email_1=old.email, status="ACTIVE",
                                phone=None)
        sage.phone_1 = "0161 496 0555"
        new = Person("Marek", "Nowak", self.reg.claim_email("m.nowak.home@gmail.com"), phone,
                     self.reg.postcode())
        customer = self.store_customer("adobe_commerce", new, utc(2026, 4, 10, 12, 0),
                                       with_address=False)
        orders = [self.order("adobe_commerce", utc(2026, 4, 10, 12, 9), customer=customer,
                             phone_raw="0044 161 496 0555")]
        cancelled = self.order("adobe_commerce", utc(2026, 4, 11, 9, 0), customer=customer,
                               status="cancelled", phone_raw="0044 161 496 0555")
        self.absent("D3", "dtc_returning_email_changed", "dtc", f"email:{new.email}", orders,
                    "adobe_commerce", "Billing telephone 0044 161 496 0555 = Sage 0161 496 0555; "
                    "plus a cancelled in-window order (not counted)",
                    [customer, *orders, cancelled, sage], suspected=sage, name_matches_sage=True)

        # D4: same postcode (SW1A 1AA vs sw1a1aa) and 'Jon Smith' ~ 'John Smith'.
        postcode = self.reg.claim_postcode(Postcode("SW1A 1AA"))
        self.reg.claim_person_name("John", "Smith")
        old = Person("John", "Smith", self.reg.claim_email("john.smith@sky.com"),
                     self.reg.phone(), postcode)
        sage = self.sage_person(old, utc(2024, 12, 9, 15, 0), email_1=old.email, status="active",
                                postcode=None)
        sage.zip = "SW1A 1AA"
        new = self.person("Jon", "Smith", email="jonsmith.london@gmail.com", postcode=None)
        new.postcode = postcode
        customer = self.store_customer("shopify", new, utc(2026, 4, 8, 21, 0), with_address=False)
        customer.addresses.append(Address(postcode="sw1a1aa", phone=new.phone.render("e164"),
                                          is_default="true"))
        orders = [self.order("shopify", utc(2026, 4, 8, 21, 7), customer=customer, zip_raw="SW1A1AA"),
                  self.order("shopify", utc(2026, 4, 13, 7, 55), customer=customer, zip_raw="sw1a 1aa",
                             ts_style="naive")]
        self.absent("D4", "dtc_returning_email_changed", "dtc", f"email:{new.email}", orders,
                    "shopify", "Postcode sw1a1aa = Sage SW1A 1AA and 'jon smith' ~ 'john smith' "
                    "(Jaro-Winkler ~0.97); no shared phone",
                    [customer, *orders, sage], suspected=sage)

        # D5: same postcode, accented / punctuated name equal after normalisation.
        postcode = self.reg.claim_postcode(Postcode("BT1 5GS"))
        self.reg.claim_person_name("Siobhan", "O'Neill")
        old = Person("Siobhan", "O'Neill", self.reg.claim_email("siobhan.oneill@hotmail.co.uk"),
                     self.reg.phone(), postcode)
        sage = self.sage_person(old, utc(2025, 3, 17, 12, 0), email_1=old.email, status="active",
                                postcode=None)
        sage.zip = "BT1 5GS"
        new = Person("Siobhán", "O'Neill", self.reg.claim_email("siobhan.oneill.art@gmail.com"),
                     self.reg.phone(), postcode)
        customer = self.store_customer("adobe_commerce", new, utc(2026, 4, 9, 9, 0),
                                       with_address=False)
        customer.addresses.append(Address(postcode="bt15gs", country="GB",
                                          phone=new.phone.render("national")))
        orders = [self.order("adobe_commerce", utc(2026, 4, 9, 9, 12), customer=customer,
                             zip_raw="BT1 5GS"),
                  self.order("adobe_commerce", utc(2026, 4, 11, 16, 41), customer=customer,
                             zip_raw="bt1 5gs")]
        self.absent("D5", "dtc_returning_email_changed", "dtc", f"email:{new.email}", orders,
                    "adobe_commerce", "Postcode bt15gs = Sage BT1 5GS; 'Siobhán O'Neill' = "
                    "Sage 'Siobhan O'Neill' once accents are stripped",
                    [customer, *orders, sage], suspected=sage, name_matches_sage=True)

        # D6: Shopify guest, billing phone +44 7700 900 456 vs Sage cellphone 07700900456.
        phone = self.reg.claim_phone(Phone("44", ("7700", "900456")))
        old = Person("Aisha", "Khan", self.reg.claim_email("aisha.khan@live.co.uk"), phone,
                     self.reg.postcode())
        self.reg.claim_person_name("Aisha", "Khan")
        sage = self.sage_person(old, utc(2025, 8, 30, 18, 0), email_1=old.email, status="active",
                                phone=None)
        sage.cellphone = "07700900456"
        guest = Person("Aisha", "Khan", self.reg.claim_email("aisha.k.2026@gmail.com"), phone,
                       self.reg.postcode())
        orders = [self.order("shopify", utc(2026, 4, 10, 21, 33), person=guest, customer_id_raw="",
                             phone_raw="+44 7700 900 456")]
        self.post_to_holding(orders[0], "bare")
        self.absent("D6", "dtc_returning_email_changed", "dtc", f"email:{guest.email}", orders,
                    "shopify", "Guest checkout; billing phone +44 7700 900 456 = Sage cellphone "
                    "07700900456; order posted to WEBSALES",
                    [*orders, sage], suspected=sage, name_matches_sage=True)
