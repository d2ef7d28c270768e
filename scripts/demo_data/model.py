"""The in-memory model of the demo merchant: people, companies, storefront records,
orders, Sage rows and the intent of each case (absent customer or trap)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from .constants import GAP_AS_OF, HISTORY_START, WINDOW_START
from .values import Phone, Postcode


@dataclass(eq=False)
class Person:
    first: str
    last: str
    email: str  # canonical, lower-case
    phone: Phone | None = None
    postcode: Postcode | None = None
    country: str = "GB"

    @property
    def full_name(self) -> str:
        return f"{self.first} {self.last}"


@dataclass(eq=False)
class Company:
    name: str  # trading name used in the storefront
    legal_name: str  # registered name
    vat: str | None  # canonical VAT (e.g. GB123456789) or None
    email: str
    phone: Phone
    postcode: Postcode
    country: str = "GB"
    contacts: list[Person] = field(default_factory=list)
    # The identity key its orders were built to carry (present companies; the cast's keys
    # are on their cases).
    identity: "IdentityKey | None" = None


@dataclass(eq=False)
class Address:
    company: str = ""
    postcode: str = ""
    country: str = "GB"
    phone: str = ""
    vat: str = ""
    is_default: str = ""
    id: int = 0


@dataclass(eq=False)
class SageRow:
    name: str
    status: str = "active"
    customerid: str = ""  # fixed (holding) or assigned at the end
    taxid: str = ""
    displaycontact_taxid: str = ""
    email_1: str = ""
    email_2: str = ""
    phone_1: str = ""
    cellphone: str = ""
    first: str = ""
    last: str = ""
    companyname: str = ""
    zip: str = ""
    country: str = "GB"
    objectrestriction: str = "Unrestricted"
    created: datetime = HISTORY_START
    modified: datetime = HISTORY_START
    synced: datetime = HISTORY_START
    deleted: bool = False
    deleted_style: str = "word"
    recordno: int = 0
    # The person or company the row was created for: the sync posts their orders to it.
    owner: "Person | Company | None" = None


@dataclass(eq=False)
class AdobeCompany:
    company: Company
    vat_raw: str = ""
    reseller: "AccountRef | None" = None
    status: str = "1"
    id: int = 0


@dataclass(frozen=True)
class IdentityKey:
    """The identity key a company was built to have, `<match_key>:<value>`; an account
    reference is the customerid of its Sage row, known once ids are assigned."""

    match_key: str
    value: str = ""
    sage: SageRow | None = None

    def render(self) -> str:
        return f"{self.match_key}:{self.sage.customerid if self.sage else self.value}"


@dataclass(frozen=True)
class AccountRef:
    """An account reference held in a storefront, pointing at a Sage row."""

    sage: SageRow
    style: str = "plain"

    def render(self) -> str:
        value = self.sage.customerid
        if self.style == "lower_padded":
            return f" {value.lower()} "
        if self.style == "lower":
            return value.lower()
        return value


@dataclass(eq=False)
class StoreCustomer:
    storefront: str
    person: Person
    created_at: datetime
    email_raw: str = ""
    phone_raw: str = ""
    company: Company | None = None  # B2B company behind the record (BigCommerce / Shopify)
    adobe_company: AdobeCompany | None = None
    vat_raw: str = ""  # Shopify metafield / BigCommerce attribute / Adobe taxvat
    account_ref: AccountRef | None = None
    tags: list[str] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)
    deleted: bool = False
    state: str = "enabled"
    group_id: int = 1
    is_active: str = "1"
    updated_at: datetime | None = None
    seq: int = 0
    id: int = 0


@dataclass(eq=False)
class Order:
    storefront: str
    created_at: datetime
    total: int  # pennies
    customer: StoreCustomer | None = None
    customer_id_raw: str | None = None  # override of the customer_id cell (guests)
    is_guest: bool = False
    email: str = ""
    first: str = ""
    last: str = ""
    company: str = ""
    zip: str = ""
    country: str = "GB"
    phone: str = ""
    vat: str = ""
    status: str = "valid"  # valid | cancelled | test | deleted | incomplete | declined
    ts_style: str = "z"
    bool_style: str = "word"
    currency: str = "GBP"
    store_id: str = "1"
    bc_status_id: int = 11
    adobe_state: str = "complete"
    shipping_copy: bool = False
    posted_to_holding: bool = False
    seq: int = 0
    id: int = 0
    number: str = ""
    person: Person | None = None  # the billing person (a guest's only identity)

    @property
    def is_valid(self) -> bool:
        return self.status == "valid" and self.created_at <= GAP_AS_OF

    @property
    def in_window(self) -> bool:
        return WINDOW_START < self.created_at <= GAP_AS_OF


@dataclass(eq=False)
class SoDocument:
    customer: SageRow
    order: Order
    ponumber_style: str = "plain"
    deleted: bool = False
    state: str = "Pending"
    created: datetime = HISTORY_START
    recordno: int = 0

    def ponumber(self) -> str:
        number = self.order.number
        if self.ponumber_style == "hash_padded":
            return number + " " if number.startswith("#") else f"#{number} "
        if self.ponumber_style == "bare":
            return number.lstrip("#")
        if self.ponumber_style == "padded":
            return f" {number.lstrip('#')}"
        return number


@dataclass(eq=False)
class AbsentCase:
    """One customer that must be absent, with the intent of its case."""

    label: str
    cohort: str
    customer_type: str
    key: str  # identity key, normalised by construction
    orders: list[Order]  # its valid in-window orders
    storefront: str
    what: str
    subjects: list = field(default_factory=list)
    suspected: SageRow | None = None
    name_matches_sage: bool = False
    awaiting_sync: bool = False


@dataclass(eq=False)
class Trap:
    label: str
    storefront: str
    what: str
    expect: str
    subjects: list = field(default_factory=list)


@dataclass(eq=False)
class VatCase:
    """A present B2B customer of the VAT mismatch card, with what its VAT numbers were
    built to read: `vat_missing_in_sage`, `vat_differs`, or None (not in the mart)."""

    label: str
    storefront: str
    key: str
    customer_name: str
    customer_type: str
    matched_on: str
    sage: SageRow
    store_vats: tuple[str, ...]  # canonical, valid VAT numbers the storefronts hold
    sage_vat: str  # canonical Sage VAT number ("" = none)
    mismatch: str | None
    orders: list[Order]  # its valid in-window orders
    what: str
    subjects: list = field(default_factory=list)


@dataclass(eq=False)
class SalesOrderCase:
    """An order of a present customer built to read a certain way on the orders without
    a Sage order card: listed (`missing` / `awaiting_sync`) or not listed."""

    label: str
    storefront: str
    order: Order
    key: str
    expect: str  # missing | awaiting_sync | not listed
    what: str
    subjects: list = field(default_factory=list)
