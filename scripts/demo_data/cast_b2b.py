"""The cast, business cases: new trade accounts and accounts whose VAT number is not
keyed in Sage."""

from __future__ import annotations

from .core import BuilderBase
from .model import Company
from .values import Phone, Postcode, utc


class B2bCast(BuilderBase):
    """The business cases of the cast (absent trade accounts)."""

    def build_b2b_absent(self) -> None:
        """5 new B2B accounts (14 orders) and 2 B2B customers without a VAT number (7 orders)."""

        def bc_company(company, vat_raw, created):
            contact = company.contacts[0]
            contact.phone, contact.postcode = company.phone, company.postcode
            customer = self.store_customer("bigcommerce", contact, created, company=company,
                                           vat_raw=vat_raw, group_id=2)
            return customer

        # B1: BigCommerce, VAT with spaces; history orders in March; two orders to WEBSALES.
        company = self.company("Northwind Fixings", "Northwind Fixings Ltd", vat="GB287441053")
        customer = bc_company(company, "GB 287 4410 53", utc(2026, 3, 3, 9, 0))
        history = [self.order("bigcommerce", utc(2026, 3, 5, 10, 30), customer=customer),
                   self.order("bigcommerce", utc(2026, 3, 24, 14, 2), customer=customer)]
        orders = [self.order("bigcommerce", utc(2026, 4, 8, 10, 15), customer=customer),
                  self.order("bigcommerce", utc(2026, 4, 10, 15, 40), customer=customer,
                             ts_style="naive"),
                  self.order("bigcommerce", utc(2026, 4, 14, 6, 10), customer=customer)]
        cancelled = self.order("bigcommerce", utc(2026, 4, 9, 11, 0), customer=customer,
                               status="cancelled")
        self.post_to_holding(orders[0], "plain")
        self.post_to_holding(orders[1], "padded")
        self.absent("B1", "b2b_new_account", "b2b", "vat_number:GB287441053", orders,
                    "bigcommerce", "Trade account since March, never created in Sage; VAT "
                    "'GB 287 4410 53'; 2 orders posted to WEBSALES; a status-5 order and the "
                    "March orders do not count; last order after the sync, earliest before",
                    [customer, *orders, cancelled, *(("March", o) for o in history)])

        # B2: BigCommerce, XI VAT; name equals an unrelated Sage company (Ltd vs Limited).
        company = self.company("Harbour Supplies Ltd", vat="GB345678912")
        customer = bc_company(company, "XI 345 6789 12", utc(2026, 4, 2, 10, 0))
        namesake = Company("Harbour Supplies Limited", "Harbour Supplies Limited",
                           self.reg.vat(), self.reg.claim_email("accounts@harbour-supplies.com"),
                           self.reg.phone(), self.reg.postcode(),
                           contacts=[self.person(phone=None, postcode=None)])
        namesake_row = self.sage_company(namesake, utc(2023, 9, 12, 9, 0),
                                         taxid=namesake.vat, status="active")
        orders = [self.order("bigcommerce", utc(2026, 4, 8, 14, 20), customer=customer),
                  self.order("bigcommerce", utc(2026, 4, 11, 9, 5), customer=customer, ts_style="bst"),
                  self.order("bigcommerce", utc(2026, 4, 13, 16, 45), customer=customer)]
        self.absent("B2", "b2b_new_account", "b2b", "vat_number:GB345678912", orders,
                    "bigcommerce", "New account (VAT 'XI 345 6789 12' = GB345678912); its name "
                    "equals Sage 'Harbour Supplies Limited', an unrelated company (other VAT, "
                    "postcode, phone)", [customer, *orders, ("namesake", namesake_row)],
                    name_matches_sage=True)

        # B3: Adobe Commerce company, two buyers ordering on its behalf.
        company = self.company("Kestrel Outdoor", "Kestrel Outdoor Supplies Limited",
                               vat="GB456789023", contacts=2)
        entry = self.adobe_company(company, utc(2026, 4, 1, 9, 0), vat_raw="GB 456 7890 23")
        buyer_a, buyer_b = self.contacts_of(entry)
        orders = [self.order("adobe_commerce", utc(2026, 4, 8, 11, 11), customer=buyer_a),
                  self.order("adobe_commerce", utc(2026, 4, 9, 15, 2), customer=buyer_b),
                  self.order("adobe_commerce", utc(2026, 4, 13, 10, 30), customer=buyer_a,
                             ts_style="bst")]
        cancelled = self.order("adobe_commerce", utc(2026, 4, 12, 8, 0), customer=buyer_b,
                               status="cancelled")
        self.post_to_holding(orders[1], "plain")
        self.absent("B3", "b2b_new_account", "b2b", "vat_number:GB456789023", orders,
                    "adobe_commerce", "Adobe B2B company (vat_tax_id); 2 linked buyers order on "
                    "its behalf -> one customer; a 'canceled' order does not count; 1 order "
                    "posted to WEBSALES", [entry, buyer_a, buyer_b, *orders, cancelled])

        # B4: Shopify customer tagged 'Wholesale' with a VAT metafield.
        company = self.company("Ember & Oak Interiors", vat="GB567890134")
        contact = company.contacts[0]
        contact.phone, contact.postcode = company.phone, company.postcode
        customer = self.store_customer("shopify", contact, utc(2026, 4, 6, 10, 0), company=company,
                                       vat_raw="GB567890134", tags=["Wholesale", "trade-2026"])
        orders = [self.order("shopify", utc(2026, 4, 9, 13, 30), customer=customer),
                  self.order("shopify", utc(2026, 4, 12, 10, 10), customer=customer)]
        self.absent("B4", "b2b_new_account", "b2b", "vat_number:GB567890134", orders, "shopify",
                    "Shopify customer tagged 'Wholesale' (case-insensitive) with "
                    "custom.vat_number metafield", [customer, *orders])

        # B5: BigCommerce, EU customer (German VAT) -> reverse charge case.
        company = self.company("Rhein Handel GmbH", vat="DE234567891",
                               phone=Phone("49", ("30", "1234567")), postcode=Postcode("10115"),
                               country="DE", domain="rhein-handel.de")
        customer = bc_company(company, "DE 234 567 891", utc(2026, 4, 7, 12, 0))
        orders = [self.order("bigcommerce", utc(2026, 4, 8, 7, 45), customer=customer),
                  self.order("bigcommerce", utc(2026, 4, 10, 9, 20), customer=customer),
                  self.order("bigcommerce", utc(2026, 4, 13, 12, 12), customer=customer)]
        declined = self.order("bigcommerce", utc(2026, 4, 9, 9, 0), customer=customer,
                              status="declined")
        self.absent("B5", "b2b_new_account", "b2b", "vat_number:DE234567891", orders,
                    "bigcommerce", "EU trade customer, VAT 'DE 234 567 891'; a declined "
                    "(status 6) order does not count", [customer, *orders, declined])

        # K1: Shopify customer tagged 'B2B', no VAT metafield, no account reference.
        company = self.company("Tidewater Café Co", vat=None, domain="tidewatercafe.co.uk")
        contact = company.contacts[0]
        contact.phone, contact.postcode = company.phone, company.postcode
        customer = self.store_customer("shopify", contact, utc(2026, 3, 30, 9, 0), company=company,
                                       email_raw=company.email, tags=["B2B"])
        orders = [self.order("shopify", utc(2026, 4, 8, 9, 40), customer=customer,
                             email_raw=company.email),
                  self.order("shopify", utc(2026, 4, 10, 11, 25), customer=customer,
                             email_raw=company.email),
                  self.order("shopify", utc(2026, 4, 13, 9, 5), customer=customer,
                             email_raw=company.email.upper())]
        self.absent("K1", "b2b_vat_not_keyed", "b2b", f"email:{company.email}", orders,
                    "shopify", "Shopify customer tagged 'B2B' with no VAT metafield and no "
                    "account reference: keyed by e-mail", [customer, *orders])

        # K2: BigCommerce, VAT attribute 'N/A' (placeholder), no account reference.
        company = self.company("Millbrook Joinery", vat=None, domain="millbrookjoinery.co.uk")
        contact = company.contacts[0]
        contact.phone, contact.postcode = company.phone, company.postcode
        customer = self.store_customer("bigcommerce", contact, utc(2026, 4, 1, 8, 0), company=company,
                                       vat_raw="N/A", group_id=2)
        orders = [self.order("bigcommerce", utc(2026, 4, 7, 15, 30), customer=customer),
                  self.order("bigcommerce", utc(2026, 4, 9, 10, 0), customer=customer),
                  self.order("bigcommerce", utc(2026, 4, 11, 13, 15), customer=customer,
                             ts_style="bst"),
                  self.order("bigcommerce", utc(2026, 4, 13, 14, 50), customer=customer)]
        incomplete = self.order("bigcommerce", utc(2026, 4, 12, 19, 0), customer=customer,
                                status="incomplete")
        self.post_to_holding(orders[0], "plain")
        self.post_to_holding(orders[2], "padded")
        self.absent("K2", "b2b_vat_not_keyed", "b2b", f"email:{contact.email}", orders,
                    "bigcommerce", "VAT Number attribute 'N/A' (placeholder = no VAT): keyed by "
                    "e-mail; an incomplete (status 0) order does not count; 2 orders posted to "
                    "WEBSALES", [customer, *orders, incomplete])
