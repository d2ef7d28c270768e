"""End-to-end fixtures: fuzzy duplicates (suspected duplicates, blocking keys, postcode
shapes, capped blocks).

How these fixtures work: tests_py/e2e_fixture_helpers.py.
"""

from __future__ import annotations

import json

import pytest

from e2e_fixture_helpers import (
    adobe_customer, adobe_order, bc_attributes, bc_customer, bc_order, customers, headline,
    mart_agreement_tests, reconciliation, sage_customer, shopify_customer, shopify_order,
)
from e2e_support import Built, RawData, build_fixture


# --------------------------------------------------------------------------------------
# Fixture 4: fuzzy duplicates
# --------------------------------------------------------------------------------------

def fuzzy_inputs() -> dict:
    """Absent customers against Sage rows that share a phone, or a postcode and a name."""
    data = RawData()
    bc_attributes(data)
    sage_customer(data, 1, "WEBSALES", name="Web Sales", displaycontact_phone_1="020 7946 0777")
    # FZ1: new email, same phone written differently as C-FZ1.
    sage_customer(data, 11, "C-FZ1", displaycontact_firstname="Ann", displaycontact_lastname="Able",
                  displaycontact_email_1="ann.old@x.com", displaycontact_phone_1="+44 (0)7700 900123")
    shopify_customer(data, 1, email="fz1@x.com", first_name="Ann", last_name="Other", phone="07700 900123")
    shopify_order(data, 101, customer_id=1)
    # FZ2: same postcode (other spacing / case), 'Jon Smith' vs 'John Smith' (JW 0.973).
    sage_customer(data, 12, "C-FZ2", displaycontact_firstname="John", displaycontact_lastname="Smith",
                  displaycontact_mailaddress_zip="sw1a1aa")
    shopify_customer(data, 2, email="fz2@x.com", first_name="Jon", last_name="Smith", zip="SW1A 1AA")
    shopify_order(data, 102, customer_id=2)
    # FZ3: same postcode, unrelated name -> no suspect.
    sage_customer(data, 13, "C-FZ3", displaycontact_firstname="Zed", displaycontact_lastname="Quinn",
                  displaycontact_mailaddress_zip="EC1A 1BB")
    shopify_customer(data, 3, email="fz3@x.com", first_name="Alice", last_name="Brown", zip="EC1A 1BB")
    shopify_order(data, 103, customer_id=3)
    # FZ4: postcode + identical name matches C-FZ4A; phone matches C-FZ4B -> C-FZ4B (phone first).
    sage_customer(data, 14, "C-FZ4A", displaycontact_firstname="Pat", displaycontact_lastname="Lee",
                  displaycontact_mailaddress_zip="N1 4AA")
    sage_customer(data, 15, "C-FZ4B", name="Someone Else", displaycontact_cellphone="+44 20 7946 0004")
    shopify_customer(data, 4, email="fz4@x.com", first_name="Pat", last_name="Lee", zip="N1 4AA",
                     address_phone="020 7946 0004")
    shopify_order(data, 104, customer_id=4)
    # FZ5: phone of an INACTIVE row -> not a suspect.
    sage_customer(data, 16, "C-FZ5", status="inactive", displaycontact_phone_1="07700 900555")
    shopify_customer(data, 5, email="fz5@x.com", phone="+447700900555")
    shopify_order(data, 105, customer_id=5)
    # FZ6: B2B with a new VAT number and the phone of C-FZ6 -> suspected, still b2b_new_account.
    sage_customer(data, 17, "C-FZ6", name="Widget Company", displaycontact_phone_1="01632 960006")
    bc_customer(data, 6, email="fz6@x.com", vat="GB333333333", company="Widget Co", phone="+44 1632 960006")
    bc_order(data, 106, customer_id=6)
    # FZ7: phone of the holding customer -> not a suspect.
    shopify_customer(data, 7, email="fz7@x.com", phone="+44 20 7946 0777")
    shopify_order(data, 107, customer_id=7)
    # FZ8: the only phone is on the order's billing address.
    sage_customer(data, 18, "C-FZ8", displaycontact_phone_1="+447700900888")
    shopify_customer(data, 8, email="fz8@x.com")
    shopify_order(data, 108, customer_id=8, billing_address_phone="07700 900888")
    # FZ9: B2B, address postcode + company name equal after folding 'Limited' -> 'Ltd'.
    sage_customer(data, 19, "C-FZ9", displaycontact_companyname="Northwind Traders Ltd",
                  displaycontact_mailaddress_zip="M11AE")
    bc_customer(data, 9, email="fz9@x.com", vat="GB262626262", company="Northwind Traders Limited")
    data.add("bigcommerce", "customer_address", id=91, customer_id=9, company="Northwind Traders Limited",
             postal_code="M1 1AE", country_code="GB")
    bc_order(data, 109, customer_id=9)
    return {"data": data}


@pytest.fixture(scope="module")
def fuzzy(tmp_path_factory) -> Built:
    return build_fixture(tmp_path_factory.mktemp("fuzzy"), **fuzzy_inputs())


@pytest.mark.parametrize(
    "customer_key, suspected, cohort",
    [
        ("email:fz1@x.com", "C-FZ1", "dtc_returning_email_changed"),  # phone
        ("email:fz2@x.com", "C-FZ2", "dtc_returning_email_changed"),  # postcode + similar name
        ("email:fz3@x.com", None, "dtc_new"),  # postcode, name too different
        ("email:fz4@x.com", "C-FZ4B", "dtc_returning_email_changed"),  # phone beats name
        ("email:fz5@x.com", None, "dtc_new"),  # inactive row is never a suspect
        ("vat_number:GB333333333", "C-FZ6", "b2b_new_account"),  # B2B flagged, cohort unchanged
        ("email:fz7@x.com", None, "dtc_new"),  # holding row is never a suspect
        ("email:fz8@x.com", "C-FZ8", "dtc_returning_email_changed"),  # order billing phone
        ("vat_number:GB262626262", "C-FZ9", "b2b_new_account"),  # postcode + company name (B2B)
    ],
)
def test_suspected_duplicate(fuzzy, customer_key, suspected, cohort):
    row = customers(fuzzy)[customer_key]
    assert (row["suspected_sage_customer_id"], row["is_suspected_duplicate"], row["cohort"]) == (
        suspected, suspected is not None, cohort,
    )


def test_suspected_duplicate_action_is_merge(fuzzy):
    assert customers(fuzzy)["email:fz1@x.com"]["recommended_action_code"] == "merge"


def test_b2b_create_action_names_the_suspected_duplicate(fuzzy):
    # A flagged B2B customer keeps its cohort and "create" action, but is told to check
    # the suspected record first so no second master record is keyed.
    row = customers(fuzzy)["vat_number:GB333333333"]
    assert row["recommended_action_code"] == "create"
    assert "Check suspected duplicate Sage customer C-FZ6 first." in row["recommended_action"]
    assert "Check suspected" not in customers(fuzzy)["email:fz5@x.com"]["recommended_action"]


def test_suspected_duplicates_count_includes_b2b(fuzzy):
    # FZ1, FZ2, FZ4, FZ8 (DTC) and FZ6, FZ9 (B2B).
    assert headline(fuzzy)[None]["suspected_duplicates"] == 6
    assert reconciliation(fuzzy)[(None, "duplicate_email_merge")]["customers_affected"] == 6


def test_fuzzy_match_key_choice(fuzzy):
    # FZ4's person name 'pat lee' equals C-FZ4A's; FZ9's company name 'northwind traders ltd'
    # equals C-FZ9's. No other absent customer's name equals an active row's.
    assert reconciliation(fuzzy)[(None, "match_key_choice")]["customers_affected"] == 2


@pytest.fixture(scope="module")
def fuzzy_blocks(tmp_path_factory) -> Built:
    """Blocking keys that must not be used: placeholders and oversized blocks (cap 3)."""
    data = RawData()
    # FB1: a placeholder phone on both sides -> no suspect.
    sage_customer(data, 21, "C-FB1", displaycontact_phone_1="07000 000000")
    shopify_customer(data, 21, email="fb1@x.com", phone="07000000000")
    shopify_order(data, 121, customer_id=21)
    # FB2: a phone held by 4 Sage rows (a switchboard) -> not a block, no suspect.
    for recordno in range(4):
        sage_customer(data, 30 + recordno, f"C-FB2{recordno}", displaycontact_phone_1="020 7946 0200")
    shopify_customer(data, 22, email="fb2@x.com", phone="+44 20 7946 0200")
    shopify_order(data, 122, customer_id=22)
    # FB3 (control): a phone held by 2 Sage rows -> suspect, the lower customerid.
    sage_customer(data, 41, "C-FB3B", displaycontact_phone_1="020 7946 0300")
    sage_customer(data, 40, "C-FB3A", displaycontact_cellphone="020 7946 0300")
    shopify_customer(data, 23, email="fb3@x.com", phone="02079460300")
    shopify_order(data, 123, customer_id=23)
    # FB4: a placeholder postcode with an identical name -> no suspect.
    sage_customer(data, 51, "C-FB4", displaycontact_firstname="Rosa", displaycontact_lastname="Vale",
                  displaycontact_mailaddress_zip="ZZ99 9ZZ")
    shopify_customer(data, 24, email="fb4@x.com", first_name="Rosa", last_name="Vale", zip="zz999zz")
    shopify_order(data, 124, customer_id=24)
    # FB5: 4 absent customers share one phone (a shop's number typed at checkout) -> not a
    # block on the customer side, even though one Sage row has it.
    sage_customer(data, 61, "C-FB5", displaycontact_phone_1="0113 496 0500")
    for n in range(4):
        shopify_customer(data, 250 + n, email=f"fb5-{n}@x.com", phone="0113 496 0500")
        shopify_order(data, 1250 + n, customer_id=250 + n)
    return build_fixture(tmp_path_factory.mktemp("fuzzy_blocks"), data, vars={"fuzzy_max_block_size": 3})


@pytest.mark.parametrize(
    "customer_key, suspected",
    [
        ("email:fb1@x.com", None),
        ("email:fb2@x.com", None),
        ("email:fb3@x.com", "C-FB3A"),
        ("email:fb4@x.com", None),
        ("email:fb5-0@x.com", None),
        ("email:fb5-3@x.com", None),
    ],
)
def test_fuzzy_blocks_skip_placeholders_and_oversized_keys(fuzzy_blocks, customer_key, suspected):
    assert customers(fuzzy_blocks)[customer_key]["suspected_sage_customer_id"] == suspected


# Shopify posts to the US entity, BigCommerce and Adobe Commerce to the UK entity.
POSTCODE_STOREFRONTS = (
    "storefront,store_key,entity_id,default_customer_type\n"
    "shopify,*,US01,dtc\nbigcommerce,*,UK01,b2b\nadobe_commerce,*,UK01,dtc\n"
)


@pytest.fixture(scope="module")
def fuzzy_postcodes(tmp_path_factory) -> Built:
    """Real postcodes of every shape, a busy postcode, and an Adobe company's two names.

    Default settings (block cap 1000). Every Sage row below has an email the customer
    does not use, so each customer is absent and only the fuzzy check can link them.
    """
    data = RawData()
    bc_attributes(data)
    # PC1 (US01): a 5-digit ZIP and the same name -> suspected.
    sage_customer(data, 1, "C-PC1", megaentityid="US01", displaycontact_firstname="Maria",
                  displaycontact_lastname="Garcia", displaycontact_email_1="maria.old@x.com",
                  displaycontact_mailaddress_zip="94105")
    shopify_customer(data, 1, email="pc1@x.com", first_name="Maria", last_name="Garcia", zip="94105")
    shopify_order(data, 101, customer_id=1)
    # PC2 (US01): a ZIP+4 written with spaces on one side; 'Rob Chen' vs 'Robb Chen'.
    sage_customer(data, 2, "C-PC2", megaentityid="US01", displaycontact_firstname="Robb",
                  displaycontact_lastname="Chen", displaycontact_mailaddress_zip="10001-1234")
    shopify_customer(data, 2, email="pc2@x.com", first_name="Rob", last_name="Chen", zip=" 10001-1234 ")
    shopify_order(data, 102, customer_id=2)
    # PC3 (US01): '00000' on both sides with the same name -> a placeholder, no suspect.
    sage_customer(data, 3, "C-PC3", megaentityid="US01", displaycontact_firstname="Lena",
                  displaycontact_lastname="Holt", displaycontact_mailaddress_zip="00000")
    shopify_customer(data, 3, email="pc3@x.com", first_name="Lena", last_name="Holt", zip="00000")
    shopify_order(data, 103, customer_id=3)
    # PC4 (US01): a ZIP code whose Sage row is in the UK entity -> not visible, no suspect.
    sage_customer(data, 4, "C-PC4", megaentityid="UK01", displaycontact_firstname="Omar",
                  displaycontact_lastname="Reyes", displaycontact_mailaddress_zip="60601")
    shopify_customer(data, 4, email="pc4@x.com", first_name="Omar", last_name="Reyes", zip="60601")
    shopify_order(data, 104, customer_id=4)
    # PC5 (UK01, B2B): a business-park postcode held by 100 active Sage rows, exactly one
    # of which is the customer's company -> found despite the block of 100.
    for n in range(100):
        company = "Kestrel Logistics Ltd" if n == 57 else f"Park Tenant {n:03d} Holdings"
        sage_customer(data, 100 + n, f"C-PARK{n:03d}", megaentityid="UK01",
                      displaycontact_companyname=company, displaycontact_mailaddress_zip="RG2 6UB")
    bc_customer(data, 5, email="pc5@x.com", vat="GB515151515", company="Kestrel Logistics Limited")
    data.add("bigcommerce", "customer_address", id=51, customer_id=5, company="Kestrel Logistics Limited",
             postal_code="rg2 6ub", country_code="GB")
    bc_order(data, 105, customer_id=5)
    # PC6 (UK01): an Adobe company registered as 'SMG Communications Limited', trading
    # as 'Severn Media Group Ltd'; Sage keyed it under the trading name -> found only
    # through the trading name (JW of the legal name against it is 0.59).
    sage_customer(data, 6, "C-SEVERN", megaentityid="UK01", name="Severn Media Group Ltd",
                  displaycontact_companyname="Severn Media Group Ltd", displaycontact_mailaddress_zip="GL1 2AB",
                  displaycontact_email_1="ap@severnmedia.co.uk")
    data.add("adobe_commerce", "company", entity_id=6, status=1, company_name="Severn Media Group Ltd",
             legal_name="SMG Communications Limited", company_email="accounts@severn.example",
             vat_tax_id="GB616161616", postcode="GL1 2AB", country_id="GB")
    adobe_customer(data, 60, email="buyer@severn.example")
    data.add("adobe_commerce", "company_advanced_customer_entity", customer_id=60, company_id=6)
    adobe_order(data, 206, customer_id=60)
    return build_fixture(tmp_path_factory.mktemp("fuzzy_postcodes"), data,
                         seeds={"storefronts": POSTCODE_STOREFRONTS})


@pytest.mark.parametrize(
    "customer_key, entity_id, suspected, cohort",
    [
        ("email:pc1@x.com", "US01", "C-PC1", "dtc_returning_email_changed"),  # 5-digit ZIP
        ("email:pc2@x.com", "US01", "C-PC2", "dtc_returning_email_changed"),  # ZIP+4
        ("email:pc3@x.com", "US01", None, "dtc_new"),  # 00000 is a placeholder
        ("email:pc4@x.com", "US01", None, "dtc_new"),  # same ZIP, row not visible in US01
        ("vat_number:GB515151515", "UK01", "C-PARK057", "b2b_new_account"),  # block of 100
        ("vat_number:GB616161616", "UK01", "C-SEVERN", "b2b_new_account"),  # trading name
    ],
)
def test_fuzzy_postcode_shapes(fuzzy_postcodes, customer_key, entity_id, suspected, cohort):
    row = customers(fuzzy_postcodes, entity_id)[customer_key]
    assert (row["suspected_sage_customer_id"], row["is_suspected_duplicate"], row["cohort"]) == (
        suspected, suspected is not None, cohort,
    )


def test_fuzzy_postcodes_nothing_capped(fuzzy_postcodes):
    # The block of 100 is far below the default cap of 1000: nothing is reported.
    assert fuzzy_postcodes.query("select * from dbt_test__audit.fuzzy_blocks_over_cap") == []


def test_adobe_trading_name_counts_in_match_key_choice(fuzzy_postcodes):
    # 'severn media group ltd' (trading name) equals C-SEVERN's company name;
    # 'kestrel logistics ltd' (after folding Limited) equals C-PARK057's.
    row = reconciliation(fuzzy_postcodes)[("UK01", "match_key_choice")]
    assert row["customers_affected"] == 2


@pytest.fixture(scope="module")
def fuzzy_capped(tmp_path_factory) -> Built:
    """A block above a (lowered) cap is reported by the warn test, never dropped silently."""
    data = RawData()
    for n in range(4):
        sage_customer(data, 10 + n, f"C-CAP{n}", displaycontact_firstname="Ivy",
                      displaycontact_lastname=f"Stone{n}", displaycontact_mailaddress_zip="LS1 4AP")
    shopify_customer(data, 1, email="cap@x.com", first_name="Ivy", last_name="Stone0", zip="LS1 4AP")
    shopify_order(data, 101, customer_id=1)
    return build_fixture(tmp_path_factory.mktemp("fuzzy_capped"), data, vars={"fuzzy_max_block_size": 3})


def test_capped_block_is_reported(fuzzy_capped):
    rows = fuzzy_capped.query(
        "select block_side, entity_id, detail_type, blocking_value, block_size, max_block_size "
        "from dbt_test__audit.fuzzy_blocks_over_cap"
    )
    assert rows == [{
        "block_side": "sage", "entity_id": None, "detail_type": "postcode", "blocking_value": "LS14AP",
        "block_size": 4, "max_block_size": 3,
    }]
    # The capped block was not used, so the true duplicate is not found...
    assert customers(fuzzy_capped)["email:cap@x.com"]["suspected_sage_customer_id"] is None


def test_capped_block_warn_test_fires(fuzzy_capped):
    # ...and the build said so: the warn test fuzzy_blocks_over_cap warned.
    run_results = json.loads(
        (fuzzy_capped.duckdb_path.parent / f"target_{fuzzy_capped.duckdb_path.stem}" / "run_results.json").read_text()
    )
    statuses = {result["unique_id"].split(".")[2]: result["status"] for result in run_results["results"]}
    assert statuses["fuzzy_blocks_over_cap"] == "warn"


# The marts agree with each other (every non-empty fixture above).
(test_cohort_sums_equal_headline, test_order_values_agree, test_orders_mart_rows_equal_customers_orders,
 test_customers_mart_rows_equal_headline) = mart_agreement_tests("fuzzy")
