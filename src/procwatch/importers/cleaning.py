"""Turn the messy cells of real lists into clean values, or into a counted warning."""

from __future__ import annotations

import re
from datetime import date, datetime
from enum import StrEnum

from procwatch.dates import PartialDate
from procwatch.domain import MeasureKind, VendorKind
from procwatch.domain.records import Warn
from procwatch.names import ALIAS_MARKER, HONORIFICS, KIND_MARK


class DateOrder(StrEnum):
    """How to read a date like 03/04/2020 whose parts could be day or month."""

    DMY = "dmy"
    MDY = "mdy"


# Words lists write instead of an end date when a measure has none.
OPEN_END_WORDS = frozenset(
    [
        "ongoing",
        "permanent",
        "permanently",
        "indefinite",
        "indefinitely",
        "open",
        "open ended",
        "open-ended",
        "no end date",
        "until further notice",
        "perpetual",
        "perpetuity",
        "lifetime",
        "life",
        "none",
        "n/a",
        "na",
        "-",
    ]
)
# What lists write in a cell that has no value (OFAC's "-0-"): never a quote or a name.
NULL_MARKERS = frozenset(["-0-", "null", "none", "n/a", "-"])


def is_null(text: str) -> bool:
    """Return whether a cell is empty or holds a list's null marker."""
    return not text.strip() or text.strip().casefold() in NULL_MARKERS


# An end year this far ahead is a placeholder for "no end" (9999-12-31, 2999-12-31, 2100-01-01).
OPEN_END_YEAR = 2099

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
# A time and a UTC offset after the day (XSD's "2015-07-01-04:00", "2015-07-01Z",
# "2015-07-01T00:00:00+02:00") are dropped: the day stays the one the list wrote.
_ISO = re.compile(
    r"^(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?(?:[t ][\d:.]*)?(?:z|[+-]\d{2}(?::?\d{2})?)?$"
)
_NUMERIC = re.compile(r"^(\d{1,2})([-/.])(\d{1,2})\2(\d{2}|\d{4})(?:[t ][\d:.+\-z]*)?$")
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})[-\s/.]*([a-z]+)\.?[-\s/.,]*(\d{4})$")
_MONTH_DAY_YEAR = re.compile(r"^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$")
_MONTH_YEAR = re.compile(r"^([a-z]+)\.?[-\s/,]+(\d{4})$")


def parse_list_date(
    value: object,
    *,
    field: str,
    warn: Warn,
    order: DateOrder | None = None,
    is_end: bool = False,
) -> PartialDate | None:
    """Read a date cell at its precision; open-end words and far years give None, the rest warn."""
    if value is None:
        return None
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        parsed_date = PartialDate(value.year, value.month, value.day)
        return _checked(parsed_date, str(parsed_date), field, warn, is_end)
    text = " ".join(str(value).split()).strip()
    if not text:
        return None
    lowered = text.casefold().rstrip(".")
    if lowered in OPEN_END_WORDS:
        if not is_end:
            warn(f"{field} {text!r} is not a date; left empty")
        return None
    parsed = _parse(lowered, field, text, warn, order)
    return None if parsed is None else _checked(parsed, text, field, warn, is_end)


def _checked(
    parsed: PartialDate, text: str, field: str, warn: Warn, is_end: bool
) -> PartialDate | None:
    if parsed.year >= OPEN_END_YEAR:
        if is_end:
            warn(f"{field} {text!r} read as no end")
        else:
            warn(f"{field} {text!r} is too far ahead; left empty")
        return None
    return parsed


def _parse(
    lowered: str, field: str, text: str, warn: Warn, order: DateOrder | None
) -> PartialDate | None:
    try:
        if match := _ISO.match(lowered):
            year, month, day = (int(part) if part else None for part in match.groups())
            assert year is not None
            return PartialDate(year, month, day)
        if match := _NUMERIC.match(lowered):
            return _numeric(match, field, text, warn, order)
        if match := _DAY_MONTH_YEAR.match(lowered):
            day_text, month_text, year_text = match.groups()
            if month_text in MONTHS:
                return PartialDate(int(year_text), MONTHS[month_text], int(day_text))
        if match := _MONTH_DAY_YEAR.match(lowered):
            month_text, day_text, year_text = match.groups()
            if month_text in MONTHS:
                return PartialDate(int(year_text), MONTHS[month_text], int(day_text))
        if match := _MONTH_YEAR.match(lowered):
            month_text, year_text = match.groups()
            if month_text in MONTHS:
                return PartialDate(int(year_text), MONTHS[month_text])
    except ValueError:
        warn(f"{field} {text!r} is not a valid date; left empty")
        return None
    warn(f"{field} {text!r} is not a date; left empty")
    return None


def _numeric(
    match: re.Match[str], field: str, text: str, warn: Warn, order: DateOrder | None
) -> PartialDate | None:
    first, separator, second, year_text = match.groups()
    if len(year_text) == 2:
        warn(f"{field} {text!r} has a two-digit year; left empty")
        return None
    year, a, b = int(year_text), int(first), int(second)
    if separator == "." and order is None:
        # Dotted dates (31.12.2020) are the European day-first convention.
        order = DateOrder.DMY
    if order is None:
        if a > 12 >= b:
            order = DateOrder.DMY
        elif b > 12 >= a:
            order = DateOrder.MDY
        elif a == b:
            return PartialDate(year, a, b)
        else:
            warn(
                f"{field} {text!r} could be day/month or month/day (give `date_order`); left empty"
            )
            return None
    day, month = (a, b) if order is DateOrder.DMY else (b, a)
    return PartialDate(year, month, day)


# How lists name the kind of measure; --kind overrides them.
KIND_WORDS: dict[str, MeasureKind] = {
    "ban": MeasureKind.BAN,
    "banned": MeasureKind.BAN,
    "debarment": MeasureKind.BAN,
    "debarred": MeasureKind.BAN,
    "cross debarment": MeasureKind.BAN,
    "cross-debarment": MeasureKind.BAN,
    "exclusion": MeasureKind.BAN,
    "excluded": MeasureKind.BAN,
    "ineligible": MeasureKind.BAN,
    "ineligibility": MeasureKind.BAN,
    "suspension": MeasureKind.BAN,
    "suspended": MeasureKind.BAN,
    "prohibition": MeasureKind.BAN,
    "asset freeze": MeasureKind.BAN,
    "blocking": MeasureKind.BAN,
    "denial": MeasureKind.BAN,
    "restriction": MeasureKind.RESTRICTION,
    "restricted": MeasureKind.RESTRICTION,
    "conditional non-debarment": MeasureKind.RESTRICTION,
    "conditional non debarment": MeasureKind.RESTRICTION,
    "license requirement": MeasureKind.RESTRICTION,
    "sectoral sanctions": MeasureKind.RESTRICTION,
    "investigation": MeasureKind.INVESTIGATION,
    "under investigation": MeasureKind.INVESTIGATION,
    "inquiry": MeasureKind.INVESTIGATION,
}


def measure_kind(value: str) -> MeasureKind | None:
    """Return the kind a list's word denotes, or None if it is not a known word."""
    return KIND_WORDS.get(" ".join(value.casefold().replace("_", " ").split()).rstrip("."))


# What never belongs in a name: C0 and C1 controls and DEL (ESC sequences clear screens,
# `Gui\x92an` widened every table line), zero-width characters and joiners, and the
# bidirectional marks, overrides and isolates that reorder the text shown around them.
NAME_CONTROLS = re.compile(
    "[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)


def clean_name(text: str, warn: Warn, what: str = "name") -> str:
    """Return a name without control characters; each one removed is a counted warning.

    Whitespace controls (TAB, newlines) become one space, as names' spaces always are.
    """
    if not NAME_CONTROLS.search(text):
        return text
    spaced = " ".join(text.split())
    removed = len(NAME_CONTROLS.findall(spaced))
    if removed:
        for _ in range(removed):
            warn(f"{what}: control character removed (C0/C1, zero-width or bidirectional)")
        spaced = NAME_CONTROLS.sub("", spaced)
    return " ".join(spaced.split())


# "ACME Ltd a.k.a. Acme Trading", "Beta (f/k/a Old Beta)", "Gamma d/b/a Gamma Stores".
def names_in(value: str) -> tuple[str, list[str]]:
    """Split a name cell into the name and the aliases written after a.k.a., f/k/a or d/b/a."""
    parts = ALIAS_MARKER.split(f" {value.strip()} ")
    name, aliases = _clean_name(parts[0]), [_clean_name(part) for part in parts[1:]]
    return name, [alias for alias in aliases if alias]


def split_aliases(value: str, separator: str = ";") -> list[str]:
    """Split an alias cell on its separator, dropping empties and a leading 'and'."""
    aliases = []
    for part in value.split(separator):
        alias = _clean_name(re.sub(r"^\s*and\s+", "", part))
        if alias:
            aliases.append(alias)
    return aliases


def _clean_name(text: str) -> str:
    cleaned = " ".join(text.split()).strip(" ,;")
    if cleaned.endswith(")") and cleaned.count("(") < cleaned.count(")"):
        cleaned = cleaned[:-1].rstrip()
    if cleaned.count("(") > cleaned.count(")"):
        cleaned = cleaned[: cleaned.rindex("(")].rstrip()
    return cleaned


def split_identifiers(value: str, warn: Warn) -> list[tuple[str, str]]:
    """Read `SCHEME:ID; SCHEME:ID` into pairs; a part without a scheme is a counted warning."""
    pairs = []
    for part in value.split(";"):
        text = part.strip()
        if not text:
            continue
        scheme, colon, identifier = text.partition(":")
        if not colon or not scheme.strip() or not identifier.strip():
            warn(f"identifier {text!r} is not SCHEME:ID; skipped")
            continue
        pairs.append((scheme.strip().upper(), identifier.strip()))
    return pairs


def vendor_kind_of(name: str) -> VendorKind:
    """Return what a listed name says of its bearer: a title a person, a legal form a body."""
    from procwatch.resolve import name_key

    words = name.split()
    if words and words[0].casefold().strip(".,") in HONORIFICS:
        return VendorKind.PERSON
    if KIND_MARK in name_key(name):
        return VendorKind.ORGANISATION
    return VendorKind.UNKNOWN


def vendor_kind(value: str) -> VendorKind | None:
    """Return the vendor kind a list's word denotes (person, individual, firm, ...), else None."""
    return VENDOR_KIND_WORDS.get(" ".join(value.casefold().split()))


VENDOR_KIND_WORDS = {
    **{kind.value: kind for kind in VendorKind},
    "organization": VendorKind.ORGANISATION,
    "individual": VendorKind.PERSON,
    "natural person": VendorKind.PERSON,
    "firm": VendorKind.ORGANISATION,
    "entity": VendorKind.ORGANISATION,
    "company": VendorKind.ORGANISATION,
}
