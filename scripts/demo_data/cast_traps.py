"""The cast, traps: records and orders that look absent but must not be counted (or
must be matched)."""

from __future__ import annotations

from datetime import timedelta

from .constants import WINDOW_START
from .core import BuilderBase
from .values import next_sync_after, utc


class ExcludedTraps(BuilderBase):
    """Traps that must NOT be absent: each is excluded, matched or not yet due."""

    def build_excluded_traps(self) -> None:

        def lone_shopify(first, last, at, status="valid", ts="z"):
            person = self.person(first, last)
            customer = self.store_customer("shopify", person, at - timedelta(minutes=9))
            order = self.order("shopify", at, customer=customer, status=status, ts_style=ts)
            return customer, order

        customer, order = lone_shopify("Isobel", "Farrant", utc(2026, 4, 9, 10, 0), "cancelled")
        self.post_to_holding(order, "plain")
        self.trap("X01", "shopify", "Would-be new customer whose only in-window order is "
                  "cancelled (a WEBSALES document even points at it)", "not counted", [customer, order])
        customer, order = lone_shopify("Quentin", "Abara", utc(2026, 4, 11, 14, 0), "test")
        order.bool_style = "yn"
        self.trap("X02", "shopify", "Only in-window order is a test order (test = yes)",
                  "not counted", [customer, order])
        customer, order = lone_shopify("Ursula", "Kimathi", utc(2026, 4, 12, 12, 0), "deleted")
        order.bool_style = "upper"
        self.trap("X03", "shopify", "Only in-window order is deleted (_fivetran_deleted = TRUE)",
                  "not counted", [customer, order])

        company = self.company("Vantage Scaffolding", "Vantage Scaffolding Ltd")
        contact = company.contacts[0]
        contact.phone, contact.postcode = company.phone, company.postcode
        customer = self.store_customer("bigcommerce", contact, utc(2026, 4, 8, 8, 0),
                                       company=company, vat_raw=company.vat, group_id=2)
        bad = [self.order("bigcommerce", utc(2026, 4, 8, 8, 20), customer=customer, status="incomplete"),
               self.order("bigcommerce", utc(2026, 4, 9, 9, 0), customer=customer, status="cancelled"),
               self.order("bigcommerce", utc(2026, 4, 10, 9, 0), customer=customer, status="declined")]
        self.trap("X04", "bigcommerce", "New trade account (VAT not in Sage) whose only "
                  "in-window orders have status 0, 5 and 6", "not counted", [customer, *bad])

        person = self.person("Yasmin", "Delacroix")
        customer = self.store_customer("adobe_commerce", person, utc(2026, 4, 10, 11, 0))
        order = self.order("adobe_commerce", utc(2026, 4, 10, 11, 6), customer=customer,
                           status="cancelled")
        self.trap("X05", "adobe_commerce", "Only in-window order has state 'canceled'",
                  "not counted", [customer, order])

        customer, order = lone_shopify("Edmund", "Faraday", WINDOW_START)
        self.trap("X06", "shopify", "Only order at exactly 2026-04-07T09:00:00Z (lower edge, "
                  "excluded)", "not counted", [customer, order])
        person = self.person("Philippa", "Strand")
        customer = self.store_customer("adobe_commerce", person, utc(2026, 4, 7, 8, 50))
        order = self.order("adobe_commerce", WINDOW_START, customer=customer, ts_style="bst")
        self.trap("X07", "adobe_commerce", "Only order written 2026-04-07T10:00:00+01:00 "
                  "(= 09:00Z, lower edge, excluded)", "not counted", [customer, order])
        customer, order = lone_shopify("Hugo", "Brannigan", utc(2026, 4, 14, 9, 30), ts="bst")
        customer.updated_at = order.created_at
        self.trap("X08", "shopify", "Only order written 2026-04-14T10:30:00+01:00 (= 09:30Z, "
                  "after gap_as_of: does not exist yet)", "not counted", [customer, order])

        person = self.person("Graham", "Pike")
        customer = self.store_customer("shopify", person, utc(2025, 10, 30, 12, 0))
        history = [self.order("shopify", utc(2025, 11, 2, 12, 0), customer=customer),
                   self.order("shopify", utc(2025, 12, 12, 18, 30), customer=customer)]
        row = self.sage_person(person, history[0].created_at, status="inactive",
                               email_1=person.email)
        row.modified = utc(2026, 2, 1, 10, 0)
        row.synced = next_sync_after(row.modified)
        self.trap("X09", "shopify", "Sage record status 'inactive'; customer ordered only in "
                  "Nov/Dec 2025", "not counted (no in-window order)", [customer, row, *history])

        person = self.person("Moira", "Galbraith")
        customer = self.store_customer("shopify", person, utc(2025, 11, 3, 10, 0))
        orders = self.orders_for(customer, 1, 2, first_at=customer.created_at)
        old_row = self.sage_person(person, utc(2024, 2, 2, 10, 0), status="Inactive",
                                   email_1=person.email)
        live_row = self.sage_person(person, customer.created_at, status="active",
                                    email_1=person.email.upper())
        self.trap("X10", "shopify", "E-mail matches an 'Inactive' old Sage record AND an active "
                  "one", "present (matched on the active row)",
                  [customer, ("inactive", old_row), ("active", live_row)])

        person = self.person("Hannah", "Whitlock")
        row = self.sage_person(person, utc(2025, 7, 7, 10, 0))
        deleted = self.store_customer("shopify", person, utc(2025, 7, 7, 9, 40), deleted=True,
                                      email_raw="h.whitlock.closed@gmail.com")
        self.reg.claim_email("h.whitlock.closed@gmail.com")
        orders = [self.order("shopify", utc(2025, 9, 1, 12, 0) + timedelta(days=40), customer=deleted,
                             email_raw=person.email),
                  self.order("shopify", utc(2026, 4, 10, 16, 0), customer=deleted,
                             email_raw=person.email)]
        self.trap("X11", "shopify", "Customer record _fivetran_deleted = true (its e-mail is "
                  "not in Sage); its orders become guest orders under the order e-mail, which "
                  "is in Sage", "present (guest keyed by order e-mail)", [deleted, *orders, row])

        person = self.person("Nikhil", "Varma")
        row = self.sage_person(person, utc(2025, 12, 1, 10, 0))
        order = self.order("shopify", utc(2026, 4, 11, 8, 30), person=person,
                           customer_id_raw="7399999999999")
        self.trap("X12", "shopify", "Order whose customer_id matches no customer record",
                  "treated as a guest; present by e-mail", [order, row])

        order = self.order("shopify", utc(2026, 1, 19, 15, 0), person=self.person(), email_raw="",
                           customer_id_raw="")
        self.trap("X13", "shopify", "Guest order without e-mail (unidentified) before the window",
                  "not counted (outside the window)", [order])

        person = self.person("Bartholomew", "Quaye")
        never = self.store_customer("shopify", person, utc(2026, 4, 12, 10, 0))
        self.trap("X14", "shopify", "Registered customer (not in Sage) who never ordered",
                  "not counted", [never])
