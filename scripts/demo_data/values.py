"""Value types and text formatting of the demo's cells: timestamps, booleans, money,
phones and postcodes, each in the styles the raw exports use."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from .constants import BST, UTC


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


def next_sync_after(at: datetime) -> datetime:
    """The nightly 03:00Z Sage sync that first sees something created at `at`."""
    sync = at.replace(hour=3, minute=0, second=0, microsecond=0)
    return sync if sync >= at else sync + timedelta(days=1)



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
