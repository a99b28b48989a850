"""Vendor names and aliases, country names and codes -> records."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select

from procwatch import tables
from procwatch.domain import JurisdictionKind
from procwatch.errors import NotFoundError
from procwatch.names import ALIAS_MARKER, KIND_MARK, FormKind, name_words

if TYPE_CHECKING:
    from sqlalchemy import Connection


def name_key(name: str) -> str:
    """Return the comparison key of a name: transliterated, no case, punctuation or legal forms.

    Only the name itself counts: what follows "a.k.a." or "formerly" is another name.
    """
    main = ALIAS_MARKER.split(f" {name.strip()} ")[0].strip(" ,;(")
    return name_words(main or name).key


def key_matches(first: str, second: str) -> bool:
    """Return whether two name keys look one name up: equal, or one says no kind of entity."""
    if first == second:
        return True
    words, _, kind = first.partition(KIND_MARK)
    other_words, _, other_kind = second.partition(KIND_MARK)
    return words == other_words and not (kind and other_kind)


def _words(key: str) -> str:
    return key.partition(KIND_MARK)[0]


def keys_looked_up(key: str) -> list[str]:
    """Return the stored keys a lookup by `key` finds (key_matches), for an IN list.

    "Deutsche Bank" finds "Deutsche Bank AG" and "Deutsche Bank GmbH"; "Deutsche Bank AG"
    finds "Deutsche Bank" but not "Deutsche Bank GmbH".
    """
    words, _, kind = key.partition(KIND_MARK)
    if kind:
        return [key, words]
    return [key, *(f"{words}{KIND_MARK}{k.value}" for k in FormKind if k is not FormKind.ANY)]


@dataclass(frozen=True)
class VendorName:
    """A vendor named by the user: its record's id, its own name and its home country's id."""

    id: int
    name: str
    country_id: int | None


def find_vendor(connection: Connection, name: str) -> VendorName | None:
    """Return the vendor whose name or alias matches `name` once normalized, if any."""
    key = name_key(name)
    vendor, alias = tables.vendors.c, tables.vendor_aliases.c
    columns = select(vendor.id, vendor.name, vendor.country_id)
    # The exact key first; then one that only adds or leaves out the kind of entity.
    for keys in ([key], keys_looked_up(key)):
        found = connection.execute(
            columns.where(vendor.name_key.in_(keys)).order_by(vendor.id).limit(1)
        ).first()
        if found is None:
            found = connection.execute(
                columns.join(tables.vendor_aliases, alias.vendor_id == vendor.id)
                .where(alias.alias_key.in_(keys))
                .order_by(vendor.id)
                .limit(1)
            ).first()
        if found is not None:
            break
    return None if found is None else VendorName(found.id, found.name, found.country_id)


def vendor_of(connection: Connection, vendor_id: int) -> VendorName:
    """Return the vendor of a record id (one that a screen or a decision already found)."""
    vendor = tables.vendors.c
    found = connection.execute(
        select(vendor.id, vendor.name, vendor.country_id).where(vendor.id == vendor_id)
    ).first()
    if found is None:
        raise NotFoundError(f"no vendor with id {vendor_id}")
    return VendorName(found.id, found.name, found.country_id)


def resolve_vendor(connection: Connection, name: str) -> VendorName:
    """Return the vendor matching `name`, or raise NotFoundError suggesting close names."""
    vendor = find_vendor(connection, name)
    if vendor is not None:
        return vendor
    # Suggestions compare the words of keys; the kind of entity they say is no spelling.
    names = {
        _words(row.name_key): row.name
        for row in connection.execute(select(tables.vendors.c.name_key, tables.vendors.c.name))
    }
    aliases = tables.vendor_aliases.c
    names.update(
        {
            _words(row.alias_key): row.alias
            for row in connection.execute(select(aliases.alias_key, aliases.alias))
        }
    )
    close = difflib.get_close_matches(_words(name_key(name)), list(names), n=3, cutoff=0.6)
    hint = f"; did you mean {_or_list([names[key] for key in close])}?" if close else ""
    raise NotFoundError(f"no vendor named {name!r}{hint}")


@dataclass(frozen=True)
class Country:
    """An issuer named by the user (a country, a union, an international body) and its kin."""

    code: str
    name: str
    # The jurisdiction itself, the unions it belongs to and, for a union, its members (for
    # a development bank: the banks whose debarments it enforces, and that enforce its own).
    related_codes: tuple[str, ...]
    kind: JurisdictionKind = JurisdictionKind.COUNTRY


def resolve_country(connection: Connection, text: str) -> Country:
    """Return the jurisdiction a code or name denotes (country_code), or raise NotFoundError.

    The database's own codes and names count first, so a jurisdiction added there is found.
    """
    value = text.strip()
    jurisdiction = tables.jurisdictions.c
    known = {
        row.code: (row.name, row.kind)
        for row in connection.execute(
            select(jurisdiction.code, jurisdiction.name, jurisdiction.kind)
        )
    }
    by_name = {_country_text(name): code for code, (name, _) in known.items()}
    code = value.upper() if value.upper() in known else by_name.get(_country_text(value))
    code = code or country_code(value)
    if code is None:
        raise NotFoundError(f"unknown country {text!r}{_country_hint(value, known)}")
    name, kind = known.get(code) or (_standard_name(code), _standard_kind(code).value)
    return Country(
        code=code,
        name=name,
        related_codes=_related_codes(connection, code),
        kind=JurisdictionKind(kind),
    )


def country_code(text: str) -> str | None:
    """Return the code of a country, the EU or an international issuer written any way, or None.

    Knows ISO 3166 codes, names, official and common names, their translations that
    pycountry ships (Україна, México), the issuers' names and aliases, and the spellings
    lists use ("Egypt, Arab Republic of", "Hong Kong SAR, China"). Nothing is guessed: a
    spelling that could mean two countries is not known, and near misses find nothing.
    """
    key = _country_text(text)
    if not key:
        return None
    return _english_names().get(key) or _inverted(key) or _translated_names().get(key)


# Spellings that ISO 3166 (pycountry) does not list, as _country_text() writes them. The
# World Bank's and the UN's own spellings are here ("kyrgz republic" is the World Bank's).
COUNTRY_SPELLINGS = {
    "peoples republic of china": "CN",
    "china prc": "CN",
    "prc": "CN",
    "mainland china": "CN",
    "pr china": "CN",
    "russia": "RU",
    "south korea": "KR",
    "republic of korea": "KR",
    "korea south": "KR",
    "korea rep": "KR",
    "north korea": "KP",
    "dprk": "KP",
    "democratic peoples republic of korea": "KP",
    "korea north": "KP",
    "korea dem peoples rep": "KP",
    "iran": "IR",
    "syria": "SY",
    "burma": "MM",
    "uk": "GB",
    "great britain": "GB",
    "england": "GB",
    "usa": "US",
    "us": "US",
    "united states of america": "US",
    "uae": "AE",
    "ivory coast": "CI",
    "turkey": "TR",
    "czech republic": "CZ",
    "vietnam": "VN",
    "laos": "LA",
    "moldova": "MD",
    "macau": "MO",
    "palestine": "PS",
    "west bank": "PS",
    "west bank and gaza": "PS",
    "the netherlands": "NL",
    "holland": "NL",
    "european union": "EU",
    "eu": "EU",
    "democratic republic of the congo": "CD",
    "democratic republic of congo": "CD",
    "congo democratic republic of": "CD",
    "congo democratic republic of the": "CD",
    "congo dem rep": "CD",
    "dr congo": "CD",
    "drc": "CD",
    "republic of the congo": "CG",
    "congo rep": "CG",
    "congo republic of": "CG",
    "egypt arab rep": "EG",
    "iran islamic rep": "IR",
    "hong kong sar china": "HK",
    "hong kong china": "HK",
    "macao sar china": "MO",
    "taiwan china": "TW",
    "venezuela republica bolivariana de": "VE",
    "venezuela rb": "VE",
    "kyrgz republic": "KG",
    "kyrgyz republic": "KG",
    "iraq islamic republic of": "IQ",
    "yemen rep": "YE",
    "gambia the": "GM",
    "bahamas the": "BS",
    "micronesia fed sts": "FM",
    "lao pdr": "LA",
    "slovak republic": "SK",
    "macedonia": "MK",
    "swaziland": "SZ",
}


def _country_text(value: str) -> str:
    # Case, accents, apostrophes, dots and brackets say nothing about which country is meant.
    folded = "".join(
        char
        for char in unicodedata.normalize("NFKD", value.casefold())
        if not unicodedata.combining(char)
    )
    words = re.sub(r"[^\w]+", " ", re.sub(r"['\u2019\u02bc.]", "", folded)).split()
    words = ["saint" if word == "st" else word for word in words]
    if words[:1] == ["the"] and len(words) > 1:
        words = words[1:]
    return " ".join(words)


def _inverted(key: str) -> str | None:
    # "egypt arab republic of" is "arab republic of egypt": a list's sorting order, inverted.
    words = key.split()
    for cut in range(1, len(words)):
        if words[-1] in ("of", "de") and (
            code := _english_names().get(" ".join(words[cut:] + words[:cut]))
        ):
            return code
    return None


@cache
def _english_names() -> dict[str, str]:
    import pycountry

    from procwatch.issuers import INTERNATIONAL_ISSUERS

    names: dict[str, str] = {}
    for country in pycountry.countries:
        for attribute in ("alpha_2", "alpha_3", "name", "official_name", "common_name"):
            text = getattr(country, attribute, None)
            if text:
                names[_country_text(str(text))] = str(country.alpha_2)
    for issuer in INTERNATIONAL_ISSUERS:
        for text in (issuer.code, issuer.name, *issuer.aliases):
            names[_country_text(text)] = issuer.code
    names.update(COUNTRY_SPELLINGS)
    return names


@cache
def _translated_names() -> dict[str, str]:
    """Return pycountry's translations of country names in every language it ships, by key.

    A translation that names two countries in two languages is left out.
    """
    import gettext

    import pycountry

    by_english: dict[str, str] = {}
    for country in pycountry.countries:
        for attribute in ("name", "official_name", "common_name"):
            text = getattr(country, attribute, None)
            if text:
                by_english[str(text)] = str(country.alpha_2)
    found: dict[str, set[str]] = defaultdict(set)
    folder = Path(pycountry.LOCALES_DIR)
    for catalog in sorted(folder.glob("*/LC_MESSAGES/iso3166-1.mo")):
        language = catalog.parent.parent.name
        translation = gettext.translation("iso3166-1", str(folder), languages=[language])
        for english, code in by_english.items():
            translated = translation.gettext(english)
            if translated != english:
                found[_country_text(translated)].add(code)
    known = _english_names()
    return {
        key: codes.pop()
        for key, codes in found.items()
        if len(codes) == 1 and key not in known and len(key) > 1
    }


def _standard_name(code: str) -> str:
    import pycountry

    from procwatch.issuers import INTERNATIONAL_ISSUERS

    for issuer in INTERNATIONAL_ISSUERS:
        if issuer.code == code:
            return issuer.name
    if code == "EU":
        return "European Union"
    country = pycountry.countries.get(alpha_2=code)
    return code if country is None else str(getattr(country, "common_name", country.name))


def _standard_kind(code: str) -> JurisdictionKind:
    from procwatch.issuers import is_international

    if is_international(code):
        return JurisdictionKind.INTERNATIONAL
    return JurisdictionKind.UNION if code == "EU" else JurisdictionKind.COUNTRY


def _country_hint(value: str, known: dict[str, tuple[str, str]]) -> str:
    import pycountry

    from procwatch.issuers import INTERNATIONAL_ISSUERS

    names = {name.casefold(): name for name, _ in known.values()}
    names.update(
        {
            name.casefold(): name
            for name in (str(getattr(c, "common_name", c.name)) for c in pycountry.countries)
        }
    )
    names.update({issuer.name.casefold(): issuer.name for issuer in INTERNATIONAL_ISSUERS})
    close = difflib.get_close_matches(value.casefold(), list(names), n=3, cutoff=0.7)
    return f"; did you mean {_or_list([names[c] for c in close])}?" if close else ""


def memberships(connection: Connection) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Return the unions each jurisdiction belongs to, and each union's members, by code."""
    union, member = tables.jurisdictions.alias(), tables.jurisdictions.alias()
    membership = tables.jurisdiction_memberships.c
    pairs = connection.execute(
        select(union.c.code, member.c.code)
        .select_from(tables.jurisdiction_memberships)
        .join(union, union.c.id == membership.union_id)
        .join(member, member.c.id == membership.member_id)
        .order_by(union.c.code, member.c.code)
    ).all()
    unions_of: dict[str, list[str]] = defaultdict(list)
    members_of: dict[str, list[str]] = defaultdict(list)
    for union_code, member_code in pairs:
        unions_of[member_code].append(union_code)
        members_of[union_code].append(member_code)
    return dict(unions_of), dict(members_of)


def _related_codes(connection: Connection, code: str) -> tuple[str, ...]:
    unions_of, members_of = memberships(connection)
    related = {code, *unions_of.get(code, []), *members_of.get(code, [])}
    return tuple(sorted(related))


def _or_list(items: list[str]) -> str:
    quoted = [f"'{item}'" for item in dict.fromkeys(items)]
    if len(quoted) == 1:
        return quoted[0]
    return ", ".join(quoted[:-1]) + " or " + quoted[-1]
