"""Evaluation constants of the worked example and the vocabularies of its population."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

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
REPO_ROOT = Path(__file__).resolve().parents[2]
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
# The sibling cards' expected answers: the columns of their marts.
EXPECTED_VAT_MISMATCH_COLUMNS = (
    "entity_id", "customer_key", "customer_name", "matched_on", "sage_customer_id",
    "store_vat_numbers", "sage_vat_number", "mismatch", "orders_in_window",
    "order_value_in_window", "as_of")
EXPECTED_MATCH_RATE_COLUMNS = (
    "entity_id", "ordering_customers", "present_customers", "absent_customers",
    "b2b_ordering_customers", "b2b_present_customers", "b2b_absent_customers",
    "dtc_ordering_customers", "dtc_present_customers", "dtc_absent_customers",
    "match_rate", "sage_active_customers", "as_of")
EXPECTED_ORDERS_WITHOUT_SAGE_ORDER_COLUMNS = (
    "entity_id", "storefront", "order_id", "order_number", "created_at", "customer_key",
    "is_customer_absent", "currency", "order_total", "sync_status", "as_of")

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
