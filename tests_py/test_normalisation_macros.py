"""Unit tests of the normalisation macros (macros/normalisation/), run through dbt.

Each macro is evaluated by the real project with `dbt show --inline`, on a DuckDB file
of the test session. All the cases of one macro go into ONE query (one dbt invocation
per macro): every case is a row `select <macro>(input) ... from (select <input>)`, so
inputs of different types (text, boolean, timestamp) can sit in the same query. The
comparison with the expected value is made in SQL (`is not distinct from`, so a null
is only equal to a null and the type must agree), and each case is its own pytest
param, so a failure names the macro and the input that broke.

The `default__` implementations are the ones PostgreSQL runs (some use functions DuckDB
does not have, such as `normalize` and `regexp_like`): tests_postgres runs every case
below on PostgreSQL, against the same expected values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from dbt_helpers import PROJECT_DIR, DbtInvocationError, dbt_show_inline


@dataclass(frozen=True)
class Sql:
    """A raw SQL expression used as a case input or expected value (not a string literal)."""

    text: str


@dataclass(frozen=True)
class Case:
    input: Any
    expected: Any
    note: str = ""


def ts(value: str) -> Sql:
    return Sql(f"timestamp '{value}'")


def sql_literal(value: Any, null_type: str = "varchar") -> str:
    """SQL text for a case value: str -> quoted literal, None -> typed null, bool, Sql."""
    if isinstance(value, Sql):
        return value.text
    if value is None:
        return f"cast(null as {null_type})"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        if "{" in value or "}" in value:
            raise ValueError(f"braces would be read as Jinja in an inline query: {value!r}")
        return "'" + value.replace("'", "''") + "'"
    raise TypeError(f"unsupported case value {value!r}")


TAB, NEWLINE, NBSP = "\t", "\n", "\u00a0"

# --------------------------------------------------------------------------------------
# Cases, per macro: Case(input, expected, note).
# --------------------------------------------------------------------------------------
CASES: dict[str, list[Case]] = {
    "normalisation_trim": [
        Case("  abc  ", "abc", "spaces"),
        Case(f"{TAB}abc{NEWLINE}", "abc", "tab and newline"),
        Case(f"{NBSP}abc{NBSP}", "abc", "no-break spaces"),
        Case("a  b", "a  b", "inner whitespace kept"),
        Case("   ", "", "whitespace only -> empty string (callers nullif)"),
        Case("", "", "empty"),
        Case(None, None, "null"),
    ],
    "normalise_email": [
        Case("jane@example.com\u200b", "jane@example.com", "zero-width space after the address"),
        Case("J\u00e9r\u00f4me@example.fr", "j\u00e9r\u00f4me@example.fr", "precomposed accents"),
        Case("Je\u0301ro\u0302me@example.fr", "j\u00e9r\u00f4me@example.fr", "decomposed accents = precomposed"),
        Case(" Jane.Doe@Example.COM ", "jane.doe@example.com", "trim + lower-case"),
        Case("jane@example.com", "jane@example.com", "already normal"),
        Case("JANE+tag@Sub.Example.co.uk", "jane+tag@sub.example.co.uk", "plus tag, sub-domains"),
        Case(f"{TAB}jane@example.com{NEWLINE}", "jane@example.com", "tab/newline trimmed"),
        Case(f"{NBSP}jane@example.com", "jane@example.com", "no-break space trimmed"),
        Case("", None, "empty"),
        Case("   ", None, "whitespace only"),
        Case(None, None, "null"),
        Case("jane@@example.com", None, "two @ (adjacent)"),
        Case("jane@example@example.com", None, "two @"),
        Case("jane@localhost", None, "no dot in domain"),
        Case("jane.doe@localhost", None, "dot only in the local part"),
        Case("@example.com", None, "empty local part"),
        Case("jane@", None, "empty domain"),
        Case("jane.example.com", None, "no @"),
        Case("jane@example.", "jane@example.", "only the documented checks: a dot in the domain is enough"),
    ],
    "clean_vat_number": [
        Case("gb 123.456-789", "GB123456789", "upper-case, spaces . - removed"),
        Case("de/123,456:789", "DE123456789", "/ , : removed"),
        Case(f"GB{TAB}123 456 789", "GB123456789", "tab inside"),
        Case(f"GB{NBSP}123456789", "GB123456789", "no-break space inside"),
        Case("N/A", "NA", "placeholder kept (display value)"),
        Case("unknown", "UNKNOWN", "garbage kept (display value)"),
        Case("-", None, "only separators -> null"),
        Case("", None, "empty"),
        Case("   ", None, "whitespace only"),
        Case(None, None, "null"),
    ],
    "is_placeholder_vat_number": [
        Case(None, True, "null"),
        Case("", True, "empty"),
        Case("   ", True, "whitespace only"),
        Case("-", True, "dash"),
        Case("--", True, "dashes"),
        Case("N/A", True, "N/A"),
        Case("n/a", True, "n/a lower-case"),
        Case("NA", True, "NA"),
        Case("n.a.", True, "n.a."),
        Case("None", True, "None"),
        Case("NONE", True, "NONE"),
        Case("000000000", True, "all zeros"),
        Case("0", True, "single zero"),
        Case("GB000000000", True, "zeros after GB"),
        Case("gb 000 000 000", True, "zeros after gb, spaced"),
        Case("DE000000000", True, "zeros after another country prefix"),
        Case("GB123456789", False, "valid number"),
        Case("UNKNOWN", False, "invalid but given"),
        Case("GB12", False, "invalid but given"),
        Case("NA123", False, "NA prefix with digits is not the placeholder"),
        Case("100000000", False, "not all zeros"),
    ],
    "normalise_vat_number": [
        Case("GB123456789", "GB123456789", "GB + 9 digits"),
        Case("gb 123 4567 89", "GB123456789", "lower-case, spaced"),
        Case("GB 123.456.789", "GB123456789", "dots"),
        Case("GB-123-456-789", "GB123456789", "dashes"),
        Case(f"GB123456789{TAB}", "GB123456789", "trailing tab"),
        Case("123456789", "GB123456789", "bare 9 digits -> GB"),
        Case("123 456 789", "GB123456789", "bare 9 digits, spaced"),
        Case("123456789012", "GB123456789012", "bare 12 digits -> GB"),
        Case("GB123456789012", "GB123456789012", "GB + 12 digits (branch)"),
        Case("XI123456789", "GB123456789", "XI = GB"),
        Case("xi 123 456 789 012", "GB123456789012", "XI + 12 digits"),
        Case("GBGD001", "GBGD001", "government department"),
        Case("gb gd 001", "GBGD001", "government department, spaced"),
        Case("GBHA123", "GBHA123", "health authority"),
        Case("XIGD001", None, "XI + GD is no UK form"),
        Case("GBGD0001", None, "GD + 4 digits"),
        Case("GBXX123", None, "GB + other letters"),
        Case("GB12345678", None, "GB + 8 digits"),
        Case("GB1234567890", None, "GB + 10 digits"),
        Case("GB", None, "GB alone"),
        Case("XI12345", None, "XI + 5 digits"),
        Case("12345678", None, "bare 8 digits"),
        Case("1234567890", None, "bare 10 digits"),
        Case("GR123456789", "EL123456789", "GR -> EL"),
        Case("gr 094 014 201", "EL094014201", "gr spaced -> EL"),
        Case("GRABC", None, "GR without digit: invalid"),
        Case("EL123456789", "EL123456789", "EL kept"),
        Case("DE 123456789", "DE123456789", "other country, spaced"),
        Case("FR12ABC", "FR12ABC", "letters and digits"),
        Case("fr 12-abc", "FR12ABC", "lower-case, separators"),
        Case("IE1234567T", "IE1234567T", "Ireland"),
        Case("NL123456789B01", "NL123456789B01", "Netherlands"),
        Case("ATU12345678", "ATU12345678", "Austria"),
        Case("DE1234567890123", "DE1234567890123", "13 characters after the prefix"),
        Case("DE12345678901234", "DE12345678901234", "no length limit beyond the documented one"),
        Case("DE1", "DE1", "one digit after the prefix"),
        Case("D3123456", None, "prefix not 2 letters"),
        Case("1GB23456789", None, "digit first"),
        Case("DE12_345", None, "other character"),
        Case("UNKNOWN", None, "letters only"),
        Case("TBC", None, "letters only"),
        Case("N/A", None, "placeholder"),
        Case("NA", None, "placeholder"),
        Case("NONE", None, "placeholder"),
        Case("none", None, "placeholder lower-case"),
        Case("-", None, "placeholder dash"),
        Case("000000000", None, "all zeros"),
        Case("GB000000000", None, "zeros after GB"),
        Case("DE000000000", None, "zeros after another prefix"),
        Case("", None, "empty"),
        Case("   ", None, "whitespace only"),
        Case(None, None, "null"),
    ],
    "normalise_account_ref": [
        Case("\u200bc00123\u00a0", "C00123", "zero-width and no-break space around"),
        Case(" cust-001 ", "CUST-001", "trim + upper-case"),
        Case("websales", "WEBSALES", "upper-case"),
        Case("C 1", "C 1", "inner space kept"),
        Case(f"{TAB}abc{NEWLINE}", "ABC", "tab/newline trimmed"),
        Case("", None, "empty"),
        Case("   ", None, "whitespace only"),
        Case(None, None, "null"),
    ],
    "normalise_phone": [
        Case("07700 900123", "+447700900123", "national mobile"),
        Case("+44 7700 900123", "+447700900123", "international"),
        Case("0044 7700 900123", "+447700900123", "00 prefix"),
        Case("00 44 7700 900123", "+447700900123", "00 prefix, spaced"),
        Case("00447700900123", "+447700900123", "00 prefix, compact"),
        Case("+44 (0)7700 900123", "+447700900123", "(0) after +44"),
        Case("+44 (0)20 7946 0000", "+442079460000", "(0) after +44, London"),
        Case("+44(0)20-7946-0000", "+442079460000", "(0) without spaces, dashes"),
        Case("0044 (0)20 7946 0000", "+442079460000", "(0) after 0044"),
        Case("+33 (0)1 23 45 67 89", "+33123456789", "(0) after +33"),
        Case("+447700900123", "+447700900123", "already normal"),
        Case("447700900123", "447700900123", "no prefix, no 0: digits kept as is"),
        Case("020 7946 0000", "+442079460000", "national landline"),
        Case("(020) 7946 0000", "+442079460000", "area code in brackets"),
        Case("(0)20 7946 0000", "+442079460000", "(0) without international prefix"),
        Case("+1 (555) 010-0199", "+15550100199", "brackets that are not (0)"),
        Case("tel: 07700 900123", "+447700900123", "text before the number"),
        Case(f"{TAB}07700 900123{NEWLINE}", "+447700900123", "tab/newline"),
        Case("1234567", "1234567", "7 digits kept"),
        Case("12345", None, "fewer than 7 digits"),
        Case("+123456", None, "+ and 6 digits"),
        Case("01234", None, "national: +441234 has 6 digits"),
        Case("012345", "+4412345", "national: the 7-digit rule counts the result's digits"),
        Case("0", None, "single 0"),
        Case("+", None, "plus only"),
        Case("not a phone", None, "no digits"),
        Case("", None, "empty"),
        Case("   ", None, "whitespace only"),
        Case(None, None, "null"),
    ],
    "normalise_text_identity": [
        Case("jane@example.com", "jane@example.com", "plain ASCII unchanged"),
        Case("jane@example.com\u200b", "jane@example.com", "trailing zero-width space removed"),
        Case("\ufeffC00123", "C00123", "byte-order mark removed"),
        Case("Jo\u00adanne", "Joanne", "soft hyphen removed"),
        Case("Jane\u00a0Doe", "Jane Doe", "no-break space is a space"),
        Case("Ame\u0301lie", "Am\u00e9lie", "decomposed accent composed (NFC)"),
        Case("Am\u00e9lie", "Am\u00e9lie", "precomposed unchanged"),
        Case("", "", "empty stays empty (callers nullif)"),
        Case(None, None, "null"),
    ],
    "normalise_postcode": [
        Case("sw1a 1aa", "SW1A1AA", "upper-case, space removed"),
        Case(" SW1A  1AA ", "SW1A1AA", "several spaces"),
        Case("SW1A1AA", "SW1A1AA", "already normal"),
        Case(f"sw1a{TAB}1aa", "SW1A1AA", "tab inside"),
        Case(f"SW1A{NBSP}1AA", "SW1A1AA", "no-break space inside"),
        Case(f"ec1a 1bb{NEWLINE}", "EC1A1BB", "trailing newline"),
        Case("10115", "10115", "numeric postcode"),
        Case("", None, "empty"),
        Case("   ", None, "whitespace only"),
        Case(None, None, "null"),
    ],
    "normalise_person_name": [
        Case("Jane\u00a0\u200bDoe", "jane doe", "no-break space, zero-width space"),
        Case("Zoë Ångström", "zoe angstrom", "accents stripped"),
        Case("O'Brien", "obrien", "apostrophe deleted, not a space"),
        Case("Seán O'Brien", "sean obrien", "accent and apostrophe"),
        Case("  Jane   DOE  ", "jane doe", "whitespace collapsed and trimmed"),
        Case(f"Jane{TAB}Doe", "jane doe", "tab is whitespace"),
        Case("Mary-Jane Smith", "maryjane smith", "hyphen deleted"),
        Case("Dr. J. R. R. Tolkien", "dr j r r tolkien", "dots deleted"),
        Case("François Müller", "francois muller", "cedilla, umlaut"),
        Case("José  Ñúñez", "jose nunez", "tilde, acute"),
        Case("Łukasz Żółć", "lukasz zolc", "Polish letters"),
        Case("Søren Kierkegaard", "soren kierkegaard", "o with stroke folded"),
        Case("Straße", "strasse", "sharp s folded"),
        Case("Agent 007", "agent 007", "digits kept"),
        Case("Jane ", "jane", "caller's first || ' ' || empty last"),
        Case("...", None, "punctuation only"),
        Case("王小明", None, "no Latin letters: nothing left"),
        Case("", None, "empty"),
        Case("   ", None, "whitespace only"),
        Case(None, None, "null"),
    ],
    "normalise_company_name": [
        Case("Acme Widgets Limited", "acme widgets ltd", "limited -> ltd"),
        Case("ACME WIDGETS LTD.", "acme widgets ltd", "same key as Limited"),
        Case("Smith & Sons Ltd", "smith and sons ltd", "& -> and"),
        Case("Smith&Sons Ltd", "smith and sons ltd", "& without spaces"),
        Case("Smith and Sons Limited", "smith and sons ltd", "and + Limited"),
        Case("Foo Public Limited Company", "foo plc", "public limited company -> plc"),
        Case("FOO PLC", "foo plc", "plc kept"),
        Case("Foo P.L.C.", "foo plc", "dotted plc"),
        Case("Café Société Limited", "cafe societe ltd", "accents"),
        Case("A  &  B   limited", "a and b ltd", "whitespace collapsed"),
        Case("Unlimited Ideas Ltd", "unlimited ideas ltd", "whole words only"),
        Case("Limitedco", "limitedco", "whole words only"),
        Case("Limited Editions Limited", "ltd editions ltd", "every whole-word limited folds"),
        Case("Limited Limited", "ltd ltd", "adjacent words"),
        Case("Public Limited", "public ltd", "not the full phrase"),
        Case("O'Neill's Bar", "oneills bar", "apostrophes deleted"),
        Case("...", None, "punctuation only"),
        Case("", None, "empty"),
        Case("   ", None, "whitespace only"),
        Case(None, None, "null"),
    ],
    "normalise_order_number": [
        Case("#1001", "1001", "one # dropped"),
        Case("##5", "#5", "only one # dropped"),
        Case(" #ABC-12 ", "abc-12", "trim + lower-case"),
        Case("1001", "1001", "no #"),
        Case("A#1", "a#1", "# not leading"),
        Case("# 1001", " 1001", "trim happens before the # is dropped"),
        Case("#", None, "lone #"),
        Case("", None, "empty"),
        Case("   ", None, "whitespace only"),
        Case(None, None, "null"),
    ],
    "parse_boolean": [
        Case("true", True, "true"),
        Case("TRUE", True, "upper-case"),
        Case(" True ", True, "trimmed"),
        Case("1", True, "1"),
        Case("t", True, "t"),
        Case("T", True, "T"),
        Case("yes", True, "yes"),
        Case("YES", True, "YES"),
        Case("y", True, "y"),
        Case("Y", True, "Y"),
        Case("false", False, "false"),
        Case("0", False, "0"),
        Case("f", False, "f"),
        Case("no", False, "no"),
        Case("n", False, "n"),
        Case("maybe", None, "other text: unknown, the row is rejected"),
        Case("deleted", None, "a status word is no boolean"),
        Case("2", None, "other number"),
        Case("yes please", None, "not exactly yes"),
        Case("", False, "empty"),
        Case("   ", False, "whitespace only"),
        Case(None, False, "null text"),
        Case(Sql("true"), True, "boolean true"),
        Case(Sql("false"), False, "boolean false"),
        Case(Sql("cast(null as boolean)"), False, "boolean null"),
        Case(Sql("1"), True, "integer 1"),
        Case(Sql("0"), False, "integer 0"),
    ],
    "parse_timestamp_utc": [
        Case("2026-04-14T09:00:00Z", ts("2026-04-14 09:00:00"), "Z"),
        Case("2026-04-14T10:00:00+01:00", ts("2026-04-14 09:00:00"), "+01:00 converted"),
        Case("2026-04-14 09:00:00", ts("2026-04-14 09:00:00"), "no offset = UTC"),
        Case("2026-04-14T09:00:00", ts("2026-04-14 09:00:00"), "T, no offset = UTC"),
        Case("2026-04-14T09:00", ts("2026-04-14 09:00:00"), "no seconds"),
        Case("2026-04-14T04:00:00-0500", ts("2026-04-14 09:00:00"), "-0500 converted"),
        Case("2026-04-14T04:00:00-05", ts("2026-04-14 09:00:00"), "-05 converted"),
        Case("2026-04-14T09:00:00+00:00", ts("2026-04-14 09:00:00"), "+00:00"),
        Case("2026-04-14T14:30:00+05:30", ts("2026-04-14 09:00:00"), "half-hour offset"),
        Case("2026-04-14T00:30:00+01:00", ts("2026-04-13 23:30:00"), "offset crosses midnight"),
        Case("2026-04-14T09:00:00.123456Z", ts("2026-04-14 09:00:00.123456"), "microseconds + Z"),
        Case("2026-04-14T10:00:00.5+01:00", ts("2026-04-14 09:00:00.5"), "fraction + offset"),
        Case(" 2026-04-14t09:00:00z ", ts("2026-04-14 09:00:00"), "trimmed, lower-case t/z"),
        Case("2026-04-14", ts("2026-04-14 00:00:00"), "date only = midnight UTC"),
        Case("2026-04-14 10:00:00.000 +0100", ts("2026-04-14 09:00:00"), "Snowflake: space before +HHMM"),
        Case("2025-05-04 11:30:00.000 +0000", ts("2025-05-04 11:30:00"), "Snowflake UTC"),
        Case("2026-04-14 09:00:00 Z", ts("2026-04-14 09:00:00"), "space before Z"),
        Case("2026-04-14T09:00:00.123456789Z", ts("2026-04-14 09:00:00.123456"), "nanoseconds truncated"),
        Case("2026-04-14T10:00:00+01:00:00", None, "offset with seconds: rejected, not ignored"),
        Case("14/04/2026 09:00", None, "day-first date: rejected"),
        Case("2026-04-14T09:00:00 Europe/London", None, "zone name: rejected"),
        Case("2026-04-14T09:00:00  +01:00", None, "two spaces before the offset: rejected"),
        Case("not a date", None, "garbage: null here, a rejected row in staging"),
        Case(Sql("timestamp '2026-04-14 09:00:00'"), ts("2026-04-14 09:00:00"), "timestamp input"),
        Case(
            Sql("cast('2026-04-14T10:00:00+01:00' as timestamptz)"),
            ts("2026-04-14 09:00:00"),
            "timestamptz input",
        ),
        Case(Sql("date '2026-04-14'"), ts("2026-04-14 00:00:00"), "date input"),
        Case("", None, "empty"),
        Case("   ", None, "whitespace only"),
        Case(None, None, "null"),
    ],
}

# Values where a portable rule is easily another rule: whitespace other than spaces,
# format characters other than the zero-width ones, letters outside ASCII in upper case,
# zeros inside real VAT numbers, offsets and instants DuckDB reads or refuses. Checked
# here on DuckDB, and on PostgreSQL with every other case (tests_postgres).
MORE_CASES: dict[str, list[Case]] = {
    "normalisation_trim": [
        Case(f"\u2003abc\u3000{TAB}\r", "abc", "em space, ideographic space, tab, carriage return"),
        Case("\u000babc", "\u000babc", "vertical tab is no whitespace to DuckDB"),
    ],
    "normalise_email": [
        Case("J\u00c9R\u00d4ME@EXAMPLE.FR", "j\u00e9r\u00f4me@example.fr", "upper-case letters outside ASCII"),
        Case("jane@example.com\u200e", "jane@example.com", "left-to-right mark (Cf)"),
        Case("\u2066jane@example.com\u2069", "jane@example.com", "isolate marks (Cf)"),
        Case("jane\u00ad@example.com", "jane@example.com", "soft hyphen"),
    ],
    "clean_vat_number": [
        Case(f"gb{NBSP}123{TAB}456\u2009789", "GB123456789", "no-break space, tab, thin space inside"),
    ],
    "is_placeholder_vat_number": [
        Case("GB123000789", False, "a real number holding zeros is given"),
        Case("GB100000000", False, "a one and zeros is given"),
        Case("0000", True, "zeros only"),
    ],
    "normalise_vat_number": [
        Case("GB 123 000 789", "GB123000789", "zeros inside a real number"),
        Case("DE 100 200 300", "DE100200300", "zeros inside a foreign number"),
        Case("GB12300078", None, "eight digits is no UK number"),
    ],
    "normalise_postcode": [
        Case(f"sw1a{TAB}1aa", "SW1A1AA", "tab inside"),
        Case("sw1a\u20091aa", "SW1A1AA", "thin space inside"),
    ],
    "normalise_person_name": [
        Case("\u0218TEFAN \u00c9MILE", "stefan emile", "upper-case letters outside ASCII"),
        Case("Ame\u0301lie  \u00a0 O\u2019Brien", "amelie obrien", "decomposed accent, mixed spaces, curly quote"),
        Case("S\u00f8ren \u0141ukasz \u00c6sir", "soren lukasz aesir", "letters without a decomposition"),
        Case("a" + " " * 40 + "b", "a b", "a run of 40 spaces"),
    ],
    "normalise_phone": [
        Case("+44 ( 0 ) 20 7946 0000", "+442079460000", "(0) with spaces inside"),
        Case("020 (0)123 4567", "+44200123 4567".replace(" ", ""), "(0) not after an international prefix stays"),
        Case(f"+44{NBSP}7700{TAB}900123", "+447700900123", "no-break space and tab"),
    ],
    "parse_timestamp_utc": [
        Case("2026-04-10T10:00+02:00", ts("2026-04-10 08:00:00"), "offset after a time without seconds"),
        Case("2026-04-10T24:00:00", ts("2026-04-11 00:00:00"), "24:00 is the next midnight"),
        Case("2026-04-10T24:00+01:00", ts("2026-04-10 23:00:00"), "24:00 is the next midnight, offsets too"),
        Case("2026-04-10T23:59:60", None, "second 60"),
        Case("2026-02-29", None, "29 February of a common year"),
        Case("2024-02-29 12:00", ts("2024-02-29 12:00:00"), "29 February of a leap year"),
        Case("2100-02-29", None, "a century that is no leap year"),
        Case("2000-02-29", ts("2000-02-29 00:00:00"), "a fourth century that is"),
        Case("2026-04-31", None, "31 April"),
        Case("2026-04-10T10:00:00.9999999Z", ts("2026-04-10 10:00:00.999999"), "fraction cut, not rounded"),
        Case("2026-04-10T10:00:00+99", ts("2026-04-06 07:00:00"), "an offset of 99 hours, read as DuckDB reads it"),
        Case("2026-04-10T10:00:00-0530", ts("2026-04-10 15:30:00"), "a negative offset with minutes"),
    ],
}
for _macro, _cases in MORE_CASES.items():
    CASES[_macro].extend(_cases)

RETURN_TYPES = {
    "is_placeholder_vat_number": "BOOLEAN",
    "parse_boolean": "BOOLEAN",
    "parse_timestamp_utc": "TIMESTAMP",
}  # everything else: VARCHAR

MACROS_DIR = PROJECT_DIR / "macros" / "normalisation"


def build_cases_sql(macro: str, cases: list[Case]) -> str:
    """One query for all the cases of a macro; one row per case, ordered by case_id."""
    branches = []
    for case_id, case in enumerate(cases):
        input_sql = sql_literal(case.input)
        expected_sql = "null" if case.expected is None else sql_literal(case.expected)
        branches.append(
            f"select\n"
            f"    {case_id} as case_id,\n"
            f"    cast(actual as varchar) as actual_text,\n"
            f"    typeof(actual) as actual_type,\n"
            f"    coalesce(actual is not distinct from expected, false) as passed\n"
            f"from (\n"
            f"    select\n"
            f"        {{{{ {macro}('input_value') }}}} as actual,\n"
            f"        {expected_sql} as expected\n"
            f"    from (select {input_sql} as input_value) as src\n"
            f") as evaluated"
        )
    return "\nunion all\n".join(branches) + "\norder by case_id"


class MacroResults:
    """Runs each macro's query once per session (lazily) and caches rows or the error."""

    def __init__(self, duckdb_path: Path, vars: dict[str, Any] | None = None, profiles_dir: Path | None = None):
        self.duckdb_path = duckdb_path
        self.vars = vars
        self.profiles_dir = profiles_dir
        self._cache: dict[str, Any] = {}

    def rows(self, macro: str, cases: list[Case] | None = None) -> list[dict]:
        if macro not in self._cache:
            cases = CASES[macro] if cases is None else cases
            sql = build_cases_sql(macro, cases)
            try:
                rows = dbt_show_inline(sql, self.duckdb_path, vars=self.vars, profiles_dir=self.profiles_dir)
                assert [int(row["case_id"]) for row in rows] == list(range(len(cases))), "rows missing"
                self._cache[macro] = rows
            except (DbtInvocationError, AssertionError) as error:
                self._cache[macro] = error
        cached = self._cache[macro]
        if isinstance(cached, Exception):
            raise cached
        return cached


@pytest.fixture(scope="session")
def macro_results(duckdb_path: Path) -> MacroResults:
    return MacroResults(duckdb_path)


def _describe(macro: str, case: Case) -> str:
    shown = case.input.text if isinstance(case.input, Sql) else repr(case.input)
    return f"{macro}({shown}) [{case.note}]"


def _expected_repr(value: Any) -> str:
    return value.text if isinstance(value, Sql) else repr(value)


ALL_CASES = [
    pytest.param(macro, case_id, id=f"{macro}-{case_id}-{case.input!r}"[:120])
    for macro, cases in CASES.items()
    for case_id, case in enumerate(cases)
]

@pytest.mark.parametrize(("macro", "case_id"), ALL_CASES)
def test_macro_case(macro_results: MacroResults, macro: str, case_id: int) -> None:
    case = CASES[macro][case_id]
    row = macro_results.rows(macro)[case_id]
    assert row["passed"], (
        f"{_describe(macro, case)}: expected {_expected_repr(case.expected)}, got {row['actual_text']!r}"
    )
    expected_type = RETURN_TYPES.get(macro, "VARCHAR")
    assert row["actual_type"] == expected_type, (
        f"{_describe(macro, case)}: returns {row['actual_type']}, expected {expected_type}"
    )


def test_every_macro_has_cases_and_a_dispatcher() -> None:
    """Every macro dispatched in macros/normalisation has cases here and a default__
    implementation (the one PostgreSQL runs); the macros written once for every engine
    have cases too."""
    text = "\n".join(path.read_text() for path in MACROS_DIR.glob("*.sql"))
    dispatched = set(re.findall(r"adapter\.dispatch\('(\w+)', 'ecom_sage_gap'\)", text))
    defaults = set(re.findall(r"{%-?\s*macro\s+default__(\w+)\s*\(", text))
    assert dispatched <= set(CASES), f"dispatched {sorted(dispatched)} vs tested {sorted(CASES)}"
    assert dispatched == defaults, f"dispatched {sorted(dispatched)} vs default__ {sorted(defaults)}"
    # Dispatch only where an engine differs: each dispatched macro has an engine's own.
    engines = {name.split("__", 1)[1] for name in re.findall(r"{%-?\s*macro\s+(\w+__\w+)\s*\(", text)
               if not name.startswith("default__")}
    assert dispatched <= engines, f"dispatched with only a default__: {sorted(dispatched - engines)}"
    # Every macro people call has cases; the parts of others are tested through them (the
    # timestamp patterns and digit fields, the phone country code, the VAT number as keyed).
    public = {name for name in re.findall(r"{%-?\s*macro\s+(\w+)\s*\(", text) if "__" not in name}
    helpers = {"timestamp_text_pattern", "timestamp_offset_pattern", "digits_only", "phone_country_code",
               "vat_number_as_keyed"}
    assert sorted(public - set(CASES) - helpers) == []


# --------------------------------------------------------------------------------------
# parse_timestamp_utc does not depend on the session time zone.
# --------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def non_utc_profiles_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project's profiles.yml whose DuckDB session TimeZone is not UTC."""
    profiles = yaml.safe_load((PROJECT_DIR / "profiles.yml").read_text())
    for output in profiles["ecom_sage_gap"]["outputs"].values():
        output.setdefault("settings", {})["TimeZone"] = "America/New_York"
    profiles_dir = tmp_path_factory.mktemp("profiles_non_utc")
    (profiles_dir / "profiles.yml").write_text(yaml.safe_dump(profiles))
    return profiles_dir


def test_parse_timestamp_utc_ignores_session_time_zone(duckdb_path: Path, non_utc_profiles_dir: Path) -> None:
    cases = CASES["parse_timestamp_utc"]
    sql = (
        "select current_setting('TimeZone') as time_zone, checks.* from ("
        + build_cases_sql("parse_timestamp_utc", cases)
        + ") as checks"
    )
    rows = dbt_show_inline(sql, duckdb_path.with_name("non_utc.duckdb"), profiles_dir=non_utc_profiles_dir)
    assert rows and rows[0]["time_zone"] == "America/New_York", "the session time zone was not changed"
    failures = [
        f"{_describe('parse_timestamp_utc', cases[int(row['case_id'])])}: "
        f"expected {_expected_repr(cases[int(row['case_id'])].expected)}, got {row['actual_text']!r}"
        for row in rows
        if not row["passed"]
    ]
    assert not failures, "with TimeZone = America/New_York:\n" + "\n".join(failures)


def test_unreadable_values_are_rejected_not_blank(duckdb_path: Path) -> None:
    """The rejection rule tells an unreadable value from an empty cell, per parse kind."""
    rules = [
        ("timestamp", "not a date", "not a timestamp"),
        ("timestamp", "2026-13-01T00:00:00", "not a timestamp"),
        ("timestamp", "", None),
        ("boolean", "deleted", "not a boolean"),
        ("boolean", "", None),
        ("money", "12,50", "not a number"),
        ("money", " 12.50 ", None),
        ("money", "", None),
    ]
    sql = " union all ".join(
        f"select {index} as case_id, "
        f"{{{{ input_rejection_reason({{'column': \"'{value}'\", 'parse': '{parse}', 'required': false, 'is_text': true}}) }}}} as reason"
        for index, (parse, value, _) in enumerate(rules)
    )
    sql += " union all select 99, {{ input_rejection_reason({'column': \"''\", 'parse': 'timestamp', 'required': true, 'is_text': true}) }}"
    reasons = {int(row["case_id"]): row["reason"] for row in dbt_show_inline(sql, duckdb_path)}
    for index, (parse, value, expected) in enumerate(rules):
        if expected is None:
            assert reasons[index] is None, f"{parse} {value!r}: accepted expected, got {reasons[index]!r}"
        else:
            assert reasons[index] and reasons[index].startswith(expected), f"{parse} {value!r}: {reasons[index]!r}"
    assert reasons[99] == "empty, and the column is required"


# --------------------------------------------------------------------------------------
# normalise_phone and var('default_phone_country_code').
# --------------------------------------------------------------------------------------
PHONE_VAR_CASES = {
    "1": [
        Case("07700 900123", "+17700900123", "national number gets +1"),
        Case("+44 7700 900123", "+447700900123", "international unchanged"),
        Case("0044 7700 900123", "+447700900123", "00 prefix unchanged"),
        Case("012345", None, "7-digit rule on the result: +112345 has 6 digits"),
    ],
    33: [
        Case("01 23 45 67 89", "+33123456789", "var given as a number"),
        Case("447700900123", "447700900123", "digits without 0 unchanged"),
    ],
    "+353": [
        Case("087 123 4567", "+353871234567", "var with a leading + is accepted"),
    ],
}


@pytest.mark.parametrize("country_code", list(PHONE_VAR_CASES), ids=lambda code: f"code={code!r}")
def test_normalise_phone_uses_country_code_var(duckdb_path: Path, country_code: Any) -> None:
    cases = PHONE_VAR_CASES[country_code]
    results = MacroResults(duckdb_path, vars={"default_phone_country_code": country_code})
    rows = results.rows("normalise_phone", cases=cases)
    failures = []
    for row in rows:
        case = cases[int(row["case_id"])]
        described = _describe("normalise_phone", case)
        if not row["passed"]:
            failures.append(f"{described}: expected {case.expected!r}, got {row['actual_text']!r}")
    assert not failures, f"default_phone_country_code={country_code!r}:\n" + "\n".join(failures)


def test_normalise_phone_rejects_non_digit_country_code(duckdb_path: Path) -> None:
    with pytest.raises(DbtInvocationError, match="default_phone_country_code must be digits"):
        dbt_show_inline(
            "select {{ normalise_phone(\"'07700 900123'\") }} as phone",
            duckdb_path,
            vars={"default_phone_country_code": "abc"},
        )


# --------------------------------------------------------------------------------------
# is_placeholder_postcode (macros/matching): which normalised postcodes block nothing.
# --------------------------------------------------------------------------------------
PLACEHOLDER_POSTCODE_CASES = [
    ("94105", False, "US ZIP code: all digits is a real postcode"),
    ("10001-1234", False, "ZIP+4"),
    ("10115", False, "German postcode"),
    ("1000", False, "Belgian postcode"),
    ("SW1A1AA", False, "UK postcode"),
    ("D02X285", False, "Irish Eircode"),
    ("00000", True, "digits all zero"),
    ("00000-0000", True, "ZIP+4 of zeros"),
    ("N/A", True, "no digit"),
    ("UNKNOWN", True, "no digit"),
    ("ZZ999ZZ", True, "listed stand-in (ZZ99 9ZZ)"),
    ("XX11XX", True, "listed stand-in"),
]


def test_is_placeholder_postcode(duckdb_path: Path) -> None:
    sql = " union all ".join(
        f"select {index} as case_id, {{{{ is_placeholder_postcode(\"'{value}'\") }}}} as is_placeholder"
        for index, (value, _, _) in enumerate(PLACEHOLDER_POSTCODE_CASES)
    )
    rows = {int(row["case_id"]): row["is_placeholder"] for row in dbt_show_inline(sql, duckdb_path)}
    failures = [
        f"{value!r} ({note}): expected placeholder={expected}, got {rows[index]}"
        for index, (value, expected, note) in enumerate(PLACEHOLDER_POSTCODE_CASES)
        if rows[index] is not expected
    ]
    assert not failures, "\n".join(failures)


def test_placeholder_postcodes_var_replaces_the_list(duckdb_path: Path) -> None:
    # A stand-in the user lists (written as typed, spaces and case folded) is a
    # placeholder; the built-in list is replaced, the no-nonzero-digit rule stays.
    sql = (
        "select {{ is_placeholder_postcode(\"'99999'\") }} as listed,"
        " {{ is_placeholder_postcode(\"'ZZ999ZZ'\") }} as default_list,"
        " {{ is_placeholder_postcode(\"'0000'\") }} as zeros"
    )
    rows = dbt_show_inline(sql, duckdb_path, vars={"fuzzy_placeholder_postcodes": ["9999 9"]})
    assert rows == [{"listed": True, "default_list": False, "zeros": True}]
