"""Sizes, rates and vocabularies of the scale dataset (see scale.py)."""

from __future__ import annotations

GAP_AS_OF = "2026-04-14 09:00:00"
SAGE_LAST_SYNC = "2026-04-14 03:00:00"
HISTORY_DAYS = 730
SCALE_DATASET_VERSION = 2

# Reference sizes at R1; every one is multiplied by the scale.
SIZES_R1 = {
    "shopify_customers": 800_000,
    "bigcommerce_customers": 100_000,
    "adobe_customers": 100_000,
    "adobe_companies": 10_000,
    "shopify_orders": 8_000_000,
    "bigcommerce_orders": 1_000_000,
    "adobe_orders": 1_000_000,
    "sage_customers": 500_000,
}

# Rates of the population and of the traps (fractions).
RATES = {
    "core_customers": 0.45,          # share of each storefront's customers that buy often
    "core_order_share": 0.94,        # share of orders placed by those customers
    "core_in_sage": 0.985,           # core customers with a Sage record
    "tail_in_sage": 0.02,            # occasional buyers with a Sage record
    "shopify_wholesale": 0.01,       # Shopify customers tagged wholesale (B2B)
    "adobe_linked_to_company": 0.30, # Adobe customers ordering for a company
    "adobe_store_2": 0.30,           # Adobe orders placed in store 2 (entity IE01)
    "guest_orders": 0.04,            # orders placed as guest
    "guest_is_known_customer": 0.5,  # guests using the e-mail of a customer record
    "cancelled_orders": 0.02,
    "test_orders": 0.0005,
    "deleted_orders": 0.001,
    "orders_after_as_of": 0.002,     # created after gap_as_of: not there for the evaluation
    "email_changed": 0.015,          # Sage has an old e-mail, same phone
    "email_changed_postcode": 0.005, # Sage has an old e-mail and phone, same postcode and name
    "sage_inactive": 0.01,
    "sage_deleted": 0.003,
    "sage_root_only": 0.01,          # top-level rows restricted to the root entity
    "sage_in_uk_entity": 0.15,       # rows owned by UK01 (else top level, a few IE01)
    "sage_in_ie_entity": 0.05,
    "b2b_without_vat": 0.10,         # B2B storefront records without a VAT number
    "sage_b2b_without_vat": 0.03,
    "b2b_account_ref": 0.60,         # B2B records carrying the Sage customer id
    "placeholder_phone": 0.01,
    "mixed_case_email": 0.05,
    "storefront_deleted_customers": 0.002,
    "sodocument_days": 60,           # Sage sales documents exist for the last N days
}

FIRST_NAMES = [
    "Amelia", "Olivia", "Isla", "Ava", "Emily", "Sophie", "Grace", "Lily", "Freya", "Ella",
    "Chloé", "Zoë", "Hannah", "Lucy", "Evie", "Imogen", "Niamh", "Siân", "Rebecca", "Laura",
    "Charlotte", "Harriet", "Eleanor", "Beatrice", "Renée", "Fatima", "Mei", "Anya",
    "Joanna", "Claire", "Oliver", "George", "Harry", "Jack", "Jacob", "Charlie", "Thomas",
    "Oscar", "William", "James", "Alfie", "Joshua", "Henry", "Leo", "Archie", "Ethan",
    "Samuel", "Joseph", "Seán", "Rhys", "Callum", "Connor", "Ibrahim", "Yusuf", "Ravi",
    "Arjun", "Tomasz", "Luca", "Matteo", "Kwame", "Declan", "Fraser", "Gareth", "Owen",
]
LAST_NAMES = [
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies",
    "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green",
    "Hall", "Wood", "Jackson", "Clarke", "Turner", "Hill", "Cooper", "Ward", "Morris",
    "Moore", "King", "Watson", "Harrison", "Morgan", "Baker", "Young", "Allen", "Mitchell",
    "Anderson", "Campbell", "Kelly", "Murphy", "O'Brien", "MacDonald", "Reid", "Ahmed",
    "Hussain", "Begum", "Shah", "Singh", "Kaur", "Chen", "Wong", "Kowalski", "Nowicki",
    "Rossi", "Mensah", "Okafor", "Fitzgerald", "Lloyd", "Price", "Hughes-Lewis", "Bennett",
]
EMAIL_DOMAINS = [
    "gmail.com", "outlook.com", "hotmail.co.uk", "yahoo.co.uk", "btinternet.com",
    "icloud.com", "sky.com", "live.co.uk", "protonmail.com", "virginmedia.com",
]
SYLLABLES = [
    "ash", "bram", "cop", "dun", "elm", "fox", "grey", "hol", "iron", "jun", "kings",
    "lark", "mar", "neth", "oak", "pen", "red", "salt", "thorn", "wes", "yard", "cal",
    "brook", "ford", "ley", "ton", "by", "mere", "wick", "stead",
]
SECTORS = [
    "Engineering", "Catering Supplies", "Hardware", "Builders Merchants", "Packaging",
    "Print", "Electrical", "Wholesale", "Garden Centre", "Textiles", "Foods", "Logistics",
    "Office Supplies", "Hospitality", "Pharmacy", "Florists",
]
COMPANY_SUFFIXES = ["Ltd", "Limited", "Ltd", "LLP", "& Co", "plc", "Ltd"]
POSTCODE_OUTWARDS = [
    "LS1", "LS6", "M4", "M20", "B15", "B13", "BS8", "BS3", "EH3", "EH10", "G12", "G41",
    "CF10", "CF24", "NE1", "NE6", "S10", "S11", "NG7", "RG1", "OX2", "OX4", "CB2", "BN1",
    "BN3", "YO1", "YO10", "L8", "L17", "SW11", "N16", "E8", "SE15", "W4", "NW3", "BT9",
    "AB10", "PL4", "EX4", "CH2", "LE2", "DE1", "HU5", "TR1", "IP4", "NR2",
]
PLACEHOLDER_PHONES = ["00000000000", "07000000000", "0", "n/a"]


def sql_list(values: list[str]) -> str:
    return "[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def sizes_for(scale: float) -> dict[str, int]:
    return {name: max(1, int(round(n * scale))) for name, n in SIZES_R1.items()}


KIND_BASE = 10**12  # row number space of each kind, so an increment never shifts a base row
KINDS = ("shopify", "bigcommerce", "adobe_commerce", "adobe_company")
INCREMENT_DAYS = 7
NEW_CUSTOMER_ORDER_SHARE = 0.10  # of the increment's orders, placed by new customers
NEW_CUSTOMER_IN_SAGE = 0.10      # new customers the Sage sync has already created
