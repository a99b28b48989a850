"""Vendor names and aliases, country names and codes -> records."""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select

from procwatch import tables
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
    """A jurisdiction named by the user, and the codes whose records concern it."""

    code: str
    name: str
    # The jurisdiction itself, the unions it belongs to and, for a union, its members.
    related_codes: tuple[str, ...]


def resolve_country(connection: Connection, text: str) -> Country:
    """Return the jurisdiction an ISO code (alpha-2 or alpha-3) or English name denotes."""
    value = text.strip()
    jurisdiction = tables.jurisdictions.c
    known: dict[str, str] = dict(
        connection.execute(select(jurisdiction.code, jurisdiction.name)).all()
    )
    by_name = {name.casefold(): code for code, name in known.items()}
    code = value.upper() if value.upper() in known else by_name.get(value.casefold())
    iso_name = None
    if code is None:
        code, iso_name = _issuer(value)
    if code is None:
        code, iso_name = _iso_country(value)
    if code is None:
        names = {**by_name, **{name.casefold(): name for name in _country_names()}}
        close = difflib.get_close_matches(value.casefold(), list(names), n=3, cutoff=0.7)
        pretty = [known.get(by_name.get(c, ""), "") or names[c] for c in close]
        hint = f"; did you mean {_or_list(pretty)}?" if close else ""
        raise NotFoundError(f"unknown country {text!r}{hint}")
    name = known.get(code) or iso_name or code
    return Country(code=code, name=name, related_codes=_related_codes(connection, code))


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


def _issuer(value: str) -> tuple[str | None, str | None]:
    from procwatch.issuers import INTERNATIONAL_ISSUERS

    wanted = " ".join(value.casefold().split())
    for issuer in INTERNATIONAL_ISSUERS:
        if wanted in {text.casefold() for text in (issuer.code, issuer.name, *issuer.aliases)}:
            return issuer.code, issuer.name
    return None, None


def _iso_country(value: str) -> tuple[str | None, str | None]:
    import pycountry

    try:
        country = pycountry.countries.lookup(value)
    except LookupError:
        return None, None
    return str(country.alpha_2), str(getattr(country, "common_name", country.name))


def _country_names() -> list[str]:
    import pycountry

    return [str(getattr(c, "common_name", c.name)) for c in pycountry.countries]


def _or_list(items: list[str]) -> str:
    quoted = [f"'{item}'" for item in dict.fromkeys(items)]
    if len(quoted) == 1:
        return quoted[0]
    return ", ".join(quoted[:-1]) + " or " + quoted[-1]
