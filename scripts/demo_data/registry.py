"""Allocation of unique values: no two people, companies, e-mails, phones, postcodes
or VAT numbers of the demo are alike unless a case says so."""

from __future__ import annotations

import random
from dataclasses import dataclass

from .constants import (
    COMPANY_PREFIXES,
    COMPANY_SECTORS,
    COMPANY_SUFFIXES,
    EMAIL_DOMAINS,
    FIRST_NAMES,
    LAST_NAMES,
    POSTCODE_INWARD_LETTERS,
    POSTCODE_OUTWARDS,
    UK_PHONE_POOLS,
)
from .values import Phone, Postcode, ascii_slug, fold_company, fold_text


class Registry:
    """Every name, e-mail, phone, postcode and VAT number in use: a case claims the values it
    needs, and the population draws fresh ones that nothing has claimed."""

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

    def drawing_with(self, rng: random.Random) -> "Registry":
        """The same values in use, with fresh ones drawn from another generator: the
        sibling cards' cases draw from their own, so the worked example's draws stay as
        they were."""
        other = Registry(rng)
        other.person_names, other.company_names = self.person_names, self.company_names
        other.emails, other.phones = self.emails, self.phones
        other.postcodes, other.vats = self.postcodes, self.vats
        return other

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
