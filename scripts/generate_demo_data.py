#!/usr/bin/env python3
"""Generate the embedded demo data: the card's worked example as raw CSV files.

The demo merchant is a UK business on Sage Intacct (single entity, GBP) selling through
Shopify (DTC plus a few wholesale accounts), a BigCommerce B2B portal and an Adobe
Commerce store with B2B company accounts. Evaluated at gap_as_of = 2026-04-14T09:00:00Z
over 7 days, the marts must read 34 absent customers and 51 attached orders:

    dtc_new                       21 customers  21 orders
    dtc_returning_email_changed    6 customers   9 orders
    b2b_new_account                5 customers  14 orders
    b2b_vat_not_keyed              2 customers   7 orders

The script builds an in-memory model of people, companies, storefront records, orders
and Sage rows. A fixed cast of cases (the absent customers and the traps of the card)
is built first with explicit intent; a random but seeded "present" population is built
around it without ever reusing a cast name, e-mail, phone, postcode or VAT number, so it
cannot change the expected answer. The expected absent customers and reconciliation
counts are written from the intent of each case, never by re-running the matching rules.

Usage:
    python scripts/generate_demo_data.py [--out data/demo] [--seed N] [--expected-dir DIR]
    .venv/bin/python scripts/generate_demo_data.py --scale 1 [--format parquet|csv] [--out DIR]

With --scale N the script writes a large merchant instead (R1 = 1M customers, 10M orders,
500k Sage rows, two entities; see scripts/scale_data.py). That mode is built by DuckDB, so
it runs with the project's virtual environment, and has no expected-answer files.

Output: <out>/<source>/<table>.csv (contract section 1 layout), <out>/README.md, and the
expected-answer fixtures (default tests_py/fixtures when --out is the default demo path,
else <out>/expected). Same seed -> byte-identical files.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import sys
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

# The raw table layout (contract section 1) lives in scripts/raw_tables.py, beside this
# file; put this folder on the path so the import works however the script is started.
sys.path.insert(0, str(Path(__file__).resolve().parent))
from raw_tables import iter_tables  # noqa: E402

# --------------------------------------------------------------------------------------
# Evaluation constants of the worked example
# --------------------------------------------------------------------------------------

UTC = timezone.utc
BST = timezone(timedelta(hours=1))

GAP_AS_OF = datetime(2026, 4, 14, 9, 0, tzinfo=UTC)
GAP_WINDOW_DAYS = 7
WINDOW_START = GAP_AS_OF - timedelta(days=GAP_WINDOW_DAYS)  # exclusive bound
SAGE_LAST_SYNC = datetime(2026, 4, 14, 3, 0, tzinfo=UTC)  # nightly Sage sync at 03:00Z
HISTORY_START = datetime(2025, 10, 14, tzinfo=UTC)
BST_START = datetime(2026, 3, 29, 1, 0, tzinfo=UTC)  # UK clocks go forward
STOREFRONT_SYNC = datetime(2026, 4, 14, 8, 58, tzinfo=UTC)

DEFAULT_SEED = 20260414
REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO_ROOT / "data" / "demo"
DEFAULT_FIXTURES = REPO_ROOT / "tests_py" / "fixtures"

HOLDING_CUSTOMER_ID = "WEBSALES"

COHORTS = (
    "inactive_in_sage",
    "b2b_vat_not_keyed",
    "b2b_new_account",
    "dtc_returning_email_changed",
    "dtc_new",
    "dtc_returning_unmatched",
)
RECONCILIATION_REASONS = (
    "match_key_choice",
    "generic_holding_customer",
    "sync_timing",
    "duplicate_email_merge",
    "b2b_vs_dtc_scope",
    "multi_entity_master",
    "inactive_customer_records",
)

EXPECTED_ABSENT_COLUMNS = (
    "customer_key", "customer_type", "cohort", "orders_in_window",
    "order_value_in_window", "sync_status", "is_suspected_duplicate",
    "suspected_sage_customer_id", "orders_posted_to_holding", "name_matches_sage")
EXPECTED_RECONCILIATION_COLUMNS = ("reason", "customers_affected", "orders_affected")

# Small vocabularies for the random population (the cast names are chosen apart).
FIRST_NAMES = (
    "Amelia", "Olivia", "Isla", "Ava", "Emily", "Sophie", "Grace", "Lily", "Freya",
    "Ella", "Chloé", "Zoë", "Hannah", "Lucy", "Evie", "Imogen", "Niamh", "Siân",
    "Rebecca", "Laura", "Charlotte", "Harriet", "Eleanor", "Beatrice", "Renée",
    "Fatima", "Mei", "Anya", "Joanna", "Claire", "Oliver", "George", "Harry", "Jack",
    "Jacob", "Charlie", "Thomas", "Oscar", "William", "James", "Alfie", "Joshua",
    "Henry", "Leo", "Archie", "Ethan", "Samuel", "Joseph", "Seán", "Rhys", "Callum",
    "Connor", "Ibrahim", "Yusuf", "Ravi", "Arjun", "Tomasz", "Luca", "Matteo", "Kwame",
    "Declan", "Fraser", "Gareth", "Owen", "Nathan", "Patrick", "Stuart", "Dominic",
)
LAST_NAMES = (
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies",
    "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green",
    "Hall", "Wood", "Jackson", "Clarke", "Turner", "Hill", "Cooper", "Ward", "Morris",
    "Moore", "King", "Watson", "Harrison", "Morgan", "Baker", "Young", "Allen",
    "Mitchell", "Anderson", "Campbell", "Kelly", "Murphy", "O'Brien", "MacDonald",
    "Reid", "Fraser", "Ahmed", "Hussain", "Begum", "Shah", "Singh", "Kaur", "Chen",
    "Wong", "Kowalski", "Nowicki", "Rossi", "Mensah", "Okafor", "Fitzgerald", "Lloyd",
    "Price", "Pritchard", "Hughes-Lewis", "Bennett", "Chapman", "Fletcher", "Barker",
)
EMAIL_DOMAINS = (
    "gmail.com", "outlook.com", "hotmail.co.uk", "yahoo.co.uk", "btinternet.com",
    "icloud.com", "sky.com", "live.co.uk", "protonmail.com", "virginmedia.com",
)
COMPANY_PREFIXES = (
    "Ashford", "Bramble", "Copperfield", "Dunmore", "Elmstead", "Foxglove",
    "Greystone", "Hollins", "Ironbridge", "Juniper", "Kingsmead", "Larkspur", "Marlow",
    "Netherby", "Oakridge", "Pennine", "Quarry Hill", "Redwood", "Saltmarsh",
    "Thornbury", "Upton", "Westbrook", "Yardley", "Alder", "Brackley", "Calder",
)
COMPANY_SECTORS = (
    "Engineering", "Catering Supplies", "Hardware", "Builders Merchants", "Packaging",
    "Print", "Electrical", "Wholesale", "Garden Centre", "Textiles", "Foods",
    "Logistics", "Office Supplies", "Hospitality", "Pharmacy", "Florists",
)
COMPANY_SUFFIXES = ("Ltd", "Limited", "Ltd", "LLP", "& Co", "plc", "Ltd")
POSTCODE_OUTWARDS = (
    "LS1", "LS6", "M4", "M20", "B15", "B13", "BS8", "BS3", "EH3", "EH10", "G12", "G41",
    "CF10", "CF24", "NE1", "NE6", "S10", "S11", "NG7", "RG1", "OX2", "OX4", "CB2",
    "BN1", "BN3", "YO1", "YO10", "L8", "L17", "SW11", "N16", "E8", "SE15", "W4", "NW3",
    "BT9", "AB10", "PL4", "EX4", "CH2", "LE2", "DE1", "HU5", "TR1", "IP4", "NR2",
)
POSTCODE_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
# Ofcom drama ranges: (groups of the national significant number, last group digits).
UK_PHONE_POOLS = (
    ("7700", "900"), ("20", "7946 0"), ("113", "496 0"), ("161", "496 0"),
    ("117", "496 0"), ("114", "496 0"), ("115", "496 0"), ("191", "498 0"),
    ("131", "496 0"), ("141", "496 0"), ("118", "496 0"), ("29", "2018 0"),
)

DTC_TAGS = ("newsletter", "VIP", "returning", "loyalty-gold", "gift-card", "instagram",
            "wholesale-enquiry")
MATCH_STYLE_TEXT = {
    "vat_bare": "VAT 'GB 123 4567 89' vs Sage taxid '123456789'",
    "vat_xi": "VAT 'XI...' vs Sage 'GB...'",
    "vat_displaycontact": "VAT; Sage taxid 'N/A', number in displaycontact_taxid",
    "vat_punct": "VAT 'gb-123.456.789' vs Sage 'GB123456789'",
    "vat_12": "12-digit VAT (group) vs bare Sage number",
    "account_ref_only": "account reference only (no VAT), padded / lower-case",
    "invalid_vat_account_ref": "account reference (storefront VAT 'GB12345' is invalid)",
    "vat_mismatch_account_ref": "account reference (storefront VAT differs from Sage's)",
    "email_only": "e-mail only (Sage email_1 holds 'accounts@...; buyer@...')",
    "vat_plain": "VAT, same format",
    "vat_gr": "VAT 'GR...' vs Sage 'EL...'",
    "reseller": "company reseller_id = Sage customerid",
}

VALID_BC_STATUSES = (11, 11, 9, 2, 10, 10, 7, 3)  # awaiting fulfilment, shipped, completed...
HISTORY_BC_STATUSES = (10, 10, 10, 2, 4, 14)


# --------------------------------------------------------------------------------------
# Formatting helpers (text cells)
# --------------------------------------------------------------------------------------

def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def fmt_ts(dt: datetime | None, style: str = "z") -> str:
    """ISO-8601 text: 'z' = ...Z, 'naive' = 'YYYY-MM-DD HH:MM:SS' (UTC), 'bst' = +01:00."""
    if dt is None:
        return ""
    if style == "naive":
        return dt.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
    if style == "bst":
        return dt.astimezone(BST).strftime("%Y-%m-%dT%H:%M:%S+01:00")
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


BOOL_STYLES = {
    "word": ("true", "false"), "upper": ("TRUE", "FALSE"), "digit": ("1", "0"),
    "yn": ("yes", "no"), "tf": ("t", "f"), "empty": ("true", ""),
}


def fmt_bool(value: bool, style: str = "word") -> str:
    true_text, false_text = BOOL_STYLES[style]
    return true_text if value else false_text


def fmt_money(pennies: int) -> str:
    return f"{pennies // 100}.{pennies % 100:02d}"


def fold_text(text: str) -> str:
    """Accent-free, punctuation-free, lower-case text (used only to keep names apart)."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    plain = plain.replace("&", " and ")
    plain = re.sub(r"[^a-z0-9\s]", "", plain)
    return re.sub(r"\s+", " ", plain).strip()


def fold_company(text: str) -> str:
    folded = " " + fold_text(text) + " "
    folded = folded.replace(" public limited company ", " plc ").replace(" limited ", " ltd ")
    return folded.strip()


def ascii_slug(text: str, sep: str = "") -> str:
    return fold_text(text).replace(" ", sep)


# --------------------------------------------------------------------------------------
# Data model
# --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Phone:
    """A phone number: country code + groups of the national significant number."""

    country_code: str
    groups: tuple[str, ...]

    @property
    def e164(self) -> str:
        return "+" + self.country_code + "".join(self.groups)

    def render(self, style: str) -> str:
        national = " ".join(self.groups)
        if self.country_code != "44":
            style = "intl" if style not in ("e164",) else style
        if style == "national":
            return "0" + national
        if style == "national_compact":
            return "0" + "".join(self.groups)
        if style == "intl_trunk":
            return f"+44 (0){national}"
        if style == "idd":
            return f"00{self.country_code} {national}"
        if style == "e164":
            return self.e164
        return f"+{self.country_code} {national}"


PHONE_STYLES = ("national", "national", "intl", "e164", "national_compact", "intl_trunk", "idd")


@dataclass(frozen=True)
class Postcode:
    text: str  # canonical display, e.g. "SW1A 1AA"

    @property
    def compact(self) -> str:
        return self.text.replace(" ", "").upper()

    def render(self, style: str) -> str:
        if style == "lower":
            return self.text.lower()
        if style == "compact":
            return self.compact
        if style == "compact_lower":
            return self.compact.lower()
        return self.text


POSTCODE_STYLES = ("std", "std", "std", "compact", "lower", "compact_lower")


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


@dataclass(eq=False)
class AdobeCompany:
    company: Company
    vat_raw: str = ""
    reseller: "AccountRef | None" = None
    status: str = "1"
    id: int = 0


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


# --------------------------------------------------------------------------------------
# Value allocation: every name, e-mail, phone, postcode and VAT number is unique
# --------------------------------------------------------------------------------------

class Registry:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.person_names: set[str] = set()
        self.company_names: set[str] = set()
        self.emails: set[str] = set()
        self.phones: set[str] = set()
        self.postcodes: set[str] = set()
        self.vats: set[str] = set()

    @staticmethod
    def _claim(pool: set[str], value: str, what: str) -> None:
        if value in pool:
            raise ValueError(f"{what} {value!r} is already taken")
        pool.add(value)

    def claim_person_name(self, first: str, last: str) -> None:
        self._claim(self.person_names, fold_text(f"{first} {last}"), "person name")

    def claim_company_name(self, name: str) -> None:
        self._claim(self.company_names, fold_company(name), "company name")

    def claim_email(self, email: str) -> str:
        self._claim(self.emails, email.strip().lower(), "email")
        return email.strip().lower()

    def claim_phone(self, phone: Phone) -> Phone:
        self._claim(self.phones, phone.e164, "phone")
        return phone

    def claim_postcode(self, postcode: Postcode) -> Postcode:
        self._claim(self.postcodes, postcode.compact, "postcode")
        return postcode

    def claim_vat(self, vat: str) -> str:
        self._claim(self.vats, vat, "VAT number")
        return vat

    def person_name(self) -> tuple[str, str]:
        while True:
            first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
            if fold_text(f"{first} {last}") not in self.person_names:
                self.claim_person_name(first, last)
                return first, last

    def company_name(self) -> tuple[str, str, str]:
        """(trading stem, sector, legal suffix) of an unused company name."""
        while True:
            stem = self.rng.choice(COMPANY_PREFIXES)
            sector = self.rng.choice(COMPANY_SECTORS)
            suffix = self.rng.choice(COMPANY_SUFFIXES)
            trading = f"{stem} {sector}"
            if fold_company(trading) not in self.company_names and \
                    fold_company(f"{trading} {suffix}") not in self.company_names:
                self.claim_company_name(trading)
                self.claim_company_name(f"{trading} {suffix}")
                return stem, sector, suffix

    def email_for(self, first: str, last: str, domain: str | None = None) -> str:
        f, l = ascii_slug(first), ascii_slug(last)
        patterns = (f"{f}.{l}", f"{f}{l}", f"{f[0]}.{l}", f"{f}_{l}", f"{l}.{f}", f"{f}{l[0]}")
        return self.unique_email(self.rng.choice(patterns), domain or self.rng.choice(EMAIL_DOMAINS))

    def unique_email(self, local: str, domain: str) -> str:
        candidate = f"{local}@{domain}"
        while candidate in self.emails:
            candidate = f"{local}{self.rng.randint(2, 99)}@{domain}"
        return self.claim_email(candidate)

    def phone(self) -> Phone:
        while True:
            lead, middle = self.rng.choice(UK_PHONE_POOLS)
            digits = f"{self.rng.randint(0, 999):03d}"
            groups = (lead, *middle.split(" ")) if " " in middle else (lead, middle)
            groups = groups[:-1] + (groups[-1] + digits,)
            phone = Phone("44", groups)
            if phone.e164 not in self.phones:
                return self.claim_phone(phone)

    def postcode(self) -> Postcode:
        while True:
            outward = self.rng.choice(POSTCODE_OUTWARDS)
            inward = f"{self.rng.randint(1, 9)}" + "".join(
                self.rng.choice(POSTCODE_INWARD_LETTERS) for _ in range(2))
            postcode = Postcode(f"{outward} {inward}")
            if postcode.compact not in self.postcodes:
                return self.claim_postcode(postcode)

    def vat(self, country: str = "GB", digits: int = 9) -> str:
        while True:
            number = str(self.rng.randint(1, 9)) + "".join(
                str(self.rng.randint(0, 9)) for _ in range(digits - 1))
            vat = f"{country}{number}"
            if vat not in self.vats:
                return self.claim_vat(vat)


# --------------------------------------------------------------------------------------
# The model builder
# --------------------------------------------------------------------------------------

@dataclass
class PopulationSize:
    """How many present (matched) customers surround the cast; a scale mode grows these."""

    shopify_dtc_in_window: int = 104
    adobe_dtc_in_window: int = 28
    guest_dtc_in_window: int = 12
    dtc_history_only: int = 46
    registered_never_ordered: int = 14
    sage_only_people: int = 12
    bigcommerce_b2b_in_window: int = 15
    bigcommerce_b2b_history_only: int = 4
    sage_only_companies: int = 8


class DemoBuilder:
    def __init__(self, seed: int = DEFAULT_SEED, size: PopulationSize | None = None):
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
            shipping_copy=self.chance(0.5))
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
            zip=self.postcode_text(postcode), country=person.country)
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
            zip=self.postcode_text(company.postcode), country=company.country)
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

    # ==================================================================================
    # The cast: absent customers
    # ==================================================================================

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

    # ==================================================================================
    # The cast: traps that must NOT be absent
    # ==================================================================================

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

    # ==================================================================================
    # The present population (matched customers around the cast)
    # ==================================================================================

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

    def is_cast_order(self, order: Order) -> bool:
        return any(order in case.orders for case in self.cases)

    def sage_row_by_email(self, email: str) -> SageRow | None:
        for row in self.sage_rows:
            if not row.deleted and email in (row.email_1.lower() + " " + row.email_2.lower()):
                return row
        return None

    # ==================================================================================
    # Finalise: ids in creation-time order, consistency checks of intent
    # ==================================================================================

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
        return self

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


def next_sync_after(at: datetime) -> datetime:
    """The nightly 03:00Z Sage sync that first sees something created at `at`."""
    sync = at.replace(hour=3, minute=0, second=0, microsecond=0)
    return sync if sync >= at else sync + timedelta(days=1)


# --------------------------------------------------------------------------------------
# Table writers: one function per table, each yields rows in the contract's column order
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


def describe(subject) -> str:
    if isinstance(subject, tuple):
        text, inner = subject
        return f"{text} {describe(inner)}"
    if isinstance(subject, StoreCustomer):
        if subject.adobe_company is not None:
            return f"buyer {subject.id}"
        return f"customer {subject.id}" + (" (deleted)" if subject.deleted else "")
    if isinstance(subject, AdobeCompany):
        return f"company {subject.id}"
    if isinstance(subject, Order):
        label = {"shopify": subject.number, "bigcommerce": f"order {subject.id}",
                 "adobe_commerce": f"order {subject.number}"}[subject.storefront]
        if subject.status != "valid":
            label += f" ({subject.status})"
        if subject.created_at > GAP_AS_OF:
            label += " (after as_of)"
        return label
    if isinstance(subject, SageRow):
        return f"Sage {subject.customerid}"
    return str(subject)


def describe_all(subjects) -> str:
    return ", ".join(describe(s) for s in subjects)


def readme_text(m: DemoBuilder, counts: dict[tuple[str, str], int], seed: int) -> str:
    lines = [
        "# Demo data: the card's worked example",
        "",
        "Generated by `python scripts/generate_demo_data.py` "
        f"(seed {seed}; do not edit by hand, re-run the script).",
        "",
        "**Merchant.** Ironbark Home & Trade Ltd, a UK business on Sage Intacct (single entity,",
        "GBP, VAT-registered, MTD) selling to consumers through Shopify and Adobe Commerce and to",
        "trade accounts through a BigCommerce B2B portal, Adobe Commerce company accounts and a",
        "few Shopify wholesale customers. Orders that cannot be matched post to the generic Sage",
        f"customer `{HOLDING_CUSTOMER_ID}` (\"Web Sales (Generic)\").",
        "",
        "**Evaluation.** `gap_as_of = 2026-04-14T09:00:00Z`, `gap_window_days = 7`: an order is in",
        "the window when `2026-04-07T09:00:00Z < created_at <= 2026-04-14T09:00:00Z`. The last Sage",
        "sync (max `_fivetran_synced` of `sage_intacct/customer.csv`) is `2026-04-14T03:00:00Z`.",
        "",
        "```",
        "make demo    # = dbt build --exclude tag:alert, then dbt test --select tag:alert,",
        "             #   with --vars '{gap_as_of: \"2026-04-14T09:00:00Z\"}', then the card",
        "```",
        "",
        "**Expected reading.** 34 absent customers, 51 orders attached; B2B 7.",
        "",
        "| Cohort | Customers | Orders |",
        "|---|---|---|",
    ]
    for cohort in COHORTS:
        chosen = [c for c in m.cases if c.cohort == cohort]
        lines.append(f"| {cohort} | {len(chosen)} | {sum(len(c.orders) for c in chosen)} |")
    lines += ["", "Reconciliation reasons (customers / orders):", "",
              "| Reason | Customers | Orders |", "|---|---|---|"]
    for reason, customers, orders in expected_reconciliation_rows(m):
        lines.append(f"| {reason} | {customers} | {orders} |")
    lines += [
        "",
        "The full expected answer is in `tests_py/fixtures/demo_expected_absent_customers.csv` and",
        "`tests_py/fixtures/demo_expected_reconciliation.csv`.",
        "",
        "## Absent customers (the cast)",
        "",
        "Ids are storefront ids (Shopify order names, BigCommerce order ids, Adobe increment ids).",
        "",
        "| Case | Storefront | Cohort | What it is | Ids |",
        "|---|---|---|---|---|",
    ]
    for case in m.cases:
        flags = []
        if case.awaiting_sync:
            flags.append("awaiting_sync")
        if case.suspected is not None:
            flags.append(f"suspected duplicate of {case.suspected.customerid}")
        if case.name_matches_sage:
            flags.append("name equals an active Sage name")
        note = case.what + (f" ({'; '.join(flags)})" if flags else "")
        lines.append(f"| {case.label} | {case.storefront} | {case.cohort} | {note} | "
                     f"{describe_all(case.subjects)} |")
    lines += [
        "",
        "## Traps that must not be counted (or must be matched)",
        "",
        "| Case | Storefront | What it is | What the card must do | Ids |",
        "|---|---|---|---|---|",
    ]
    for trap in m.traps:
        lines.append(f"| {trap.label} | {trap.storefront} | {trap.what} | {trap.expect} | "
                     f"{describe_all(trap.subjects)} |")
    lines += [
        "",
        "## Formats exercised",
        "",
        "- Timestamps: mostly `2026-04-10T14:23:00Z`; some `2026-04-10 14:23:00` (UTC); some",
        "  `+01:00` (BST, after 29 Mar 2026). Adobe customer timestamps are written without offset.",
        "- Booleans: `true`/`false`, plus `1`/`0`, `TRUE`/`FALSE`, `yes`/`no` and empty (= false).",
        "- E-mails: padding and mixed case in the storefronts; Sage cells in upper case, in",
        "  `displaycontact_email_2`, or holding two addresses separated by `;`.",
        "- VAT numbers: `GB 123 4567 89` vs bare `123456789`; `XI...` vs `GB...`; `gb-123.456.789`;",
        "  12-digit group numbers; `GR...` vs `EL...`; Sage `taxid = N/A` with the number in",
        "  `displaycontact_taxid`; placeholders `N/A` and the invalid `GB12345`.",
        "- Phones: `07700 900123`, `+44 7700 900123`, `+44 (0)20 7946 0321`, `0044 161 496 0555`.",
        "- Postcodes: `SW1A 1AA`, `sw1a1aa`, `SW1A1AA`.",
        "",
        "## Files",
        "",
        "| File | Rows |",
        "|---|---|",
    ]
    for (source, table), rows in counts.items():
        lines.append(f"| `{source}/{table}.csv` | {rows} |")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------
# CLI
# --------------------------------------------------------------------------------------

def generate(out: Path, seed: int, expected_dir: Path) -> dict[tuple[str, str], int]:
    model = DemoBuilder(seed).build()
    assign_address_ids(model)
    counts = {}
    for source, table, columns in iter_tables():
        counts[(source, table)] = write_csv(out / source / f"{table}.csv", columns,
                                            TABLE_WRITERS[(source, table)](model))
    write_csv(expected_dir / "demo_expected_absent_customers.csv", EXPECTED_ABSENT_COLUMNS,
              expected_absent_rows(model))
    write_csv(expected_dir / "demo_expected_reconciliation.csv", EXPECTED_RECONCILIATION_COLUMNS,
              expected_reconciliation_rows(model))
    (out / "README.md").write_text(readme_text(model, counts, seed), encoding="utf-8")
    print_summary(model, counts, out, expected_dir)
    return counts


def print_summary(m: DemoBuilder, counts, out: Path, expected_dir: Path) -> None:
    total_bytes = sum((out / s / f"{t}.csv").stat().st_size for s, t in counts)
    print(f"Wrote {len(counts)} CSV files under {out} ({total_bytes / 1024:.0f} KiB):")
    for (source, table), rows in counts.items():
        print(f"  {source}/{table}.csv: {rows} rows")
    print(f"Expected answers under {expected_dir}")
    print(f"Evaluate at {fmt_ts(GAP_AS_OF)}, {GAP_WINDOW_DAYS} days; last Sage sync "
          f"{fmt_ts(SAGE_LAST_SYNC)}")
    print("Expected absent customers by cohort:")
    for cohort in COHORTS:
        chosen = [c for c in m.cases if c.cohort == cohort]
        labels = " ".join(c.label for c in chosen)
        print(f"  {cohort:<28} {len(chosen):>2} customers {sum(len(c.orders) for c in chosen):>3}"
              f" orders  {labels}")
    print(f"  {'total':<28} {len(m.cases):>2} customers "
          f"{sum(len(c.orders) for c in m.cases):>3} orders")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="output directory (default: data/demo)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                        help=f"random seed of the present population (default {DEFAULT_SEED})")
    parser.add_argument("--expected-dir", type=Path, default=None,
                        help="where to write the expected-answer CSVs (default: "
                             "tests_py/fixtures for the default --out, else <out>/expected)")
    parser.add_argument("--scale", type=float, default=None,
                        help="write the scale dataset at this multiple of R1 (1 = 1M customers, "
                             "10M orders) instead of the demo; default --out data/scale/r<N>")
    parser.add_argument("--format", choices=("parquet", "csv"), default=None,
                        help="file format (scale mode only; default parquet)")
    parser.add_argument("--threads", type=int, default=None,
                        help="DuckDB threads for the scale mode (default: all cores)")
    parser.add_argument("--memory-limit", default=None,
                        help="DuckDB memory_limit for the scale mode, e.g. 8GB")
    parser.add_argument("--increment", type=float, default=0.0,
                        help="scale mode: write the dataset one week later, with this fraction "
                             "of new customers and orders added (e.g. 0.01); default --out "
                             "data/scale/r<N>-inc<F>")
    args = parser.parse_args(argv)
    if args.scale is not None:
        from scale_data import generate_scale  # noqa: PLC0415 - needs duckdb
        default_name = f"r{args.scale:g}" + (f"-inc{args.increment:g}" if args.increment else "")
        out = args.out if args.out != DEFAULT_OUT else REPO_ROOT / "data" / "scale" / default_name
        generate_scale(out.resolve(), args.scale, args.seed, args.format or "parquet",
                       threads=args.threads, memory_limit=args.memory_limit,
                       increment=args.increment)
        return 0
    if args.increment:
        parser.error("--increment needs --scale")
    if args.format not in (None, "csv"):
        parser.error("the demo is written as CSV; --format parquet needs --scale")
    out = args.out.resolve()
    expected_dir = args.expected_dir or (
        DEFAULT_FIXTURES if out == DEFAULT_OUT.resolve() else out / "expected")
    generate(out, args.seed, expected_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
