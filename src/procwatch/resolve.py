"""Vendor names and aliases, country names and codes -> records."""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from procwatch.errors import NotFoundError
from procwatch.models import Jurisdiction, JurisdictionMembership, Vendor, VendorAlias

# Legal forms dropped from names before comparing them (after punctuation is removed).
LEGAL_FORMS = frozenset(
    [
        "co",
        "company",
        "corp",
        "corporation",
        "inc",
        "incorporated",
        "ltd",
        "limited",
        "llc",
        "plc",
        "lp",
        "llp",
        "gmbh",
        "ag",
        "kg",
        "sa",
        "sas",
        "sarl",
        "srl",
        "spa",
        "bv",
        "nv",
        "oy",
        "ab",
        "as",
        "aps",
        "sro",
        "zrt",
        "kft",
        "ooo",
        "zao",
        "oao",
        "pjsc",
        "jsc",
        "ojsc",
        "pte",
        "pty",
        "sp",
        "zoo",
        "saci",
        "sac",
        "cv",
        "sae",
        "group",
        "holding",
        "holdings",
    ]
)
_NOT_WORD = re.compile(r"[^\w]+")


def name_key(name: str) -> str:
    """Return the comparison key of a name: case, accents, punctuation and legal forms removed."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    # "Sp. z o.o." and "S.A." lose their dots first so their letters join into one form.
    plain = re.sub(r"\b(\w)\.(?=\w\b)", r"\1", plain.replace("z o.o.", "zoo"))
    words = _NOT_WORD.sub(" ", plain).split()
    kept = [word for word in words if word not in LEGAL_FORMS]
    return " ".join(kept or words)


def find_vendor(session: Session, name: str) -> Vendor | None:
    """Return the vendor whose name or alias matches `name` once normalized, if any."""
    key = name_key(name)
    vendor = session.scalars(select(Vendor).where(Vendor.name_key == key).limit(1)).first()
    if vendor is not None:
        return vendor
    return session.scalars(
        select(Vendor).join(VendorAlias).where(VendorAlias.alias_key == key).limit(1)
    ).first()


def resolve_vendor(session: Session, name: str) -> Vendor:
    """Return the vendor matching `name`, or raise NotFoundError suggesting close names."""
    vendor = find_vendor(session, name)
    if vendor is not None:
        return vendor
    names = {
        row.name_key: row.name for row in session.execute(select(Vendor.name_key, Vendor.name))
    }
    names.update(
        {
            row.alias_key: row.alias
            for row in session.execute(select(VendorAlias.alias_key, VendorAlias.alias))
        }
    )
    close = difflib.get_close_matches(name_key(name), list(names), n=3, cutoff=0.6)
    hint = f"; did you mean {_or_list([names[key] for key in close])}?" if close else ""
    raise NotFoundError(f"no vendor named {name!r}{hint}")


@dataclass(frozen=True)
class Country:
    """A jurisdiction named by the user, and the codes whose records concern it."""

    code: str
    name: str
    # The jurisdiction itself, the unions it belongs to and, for a union, its members.
    related_codes: tuple[str, ...]


def resolve_country(session: Session, text: str) -> Country:
    """Return the jurisdiction an ISO code (alpha-2 or alpha-3) or English name denotes."""
    value = text.strip()
    known: dict[str, str] = dict(
        session.execute(select(Jurisdiction.code, Jurisdiction.name)).all()
    )
    by_name = {name.casefold(): code for code, name in known.items()}
    code = value.upper() if value.upper() in known else by_name.get(value.casefold())
    iso_name = None
    if code is None:
        code, iso_name = _iso_country(value)
    if code is None:
        names = {**by_name, **{name.casefold(): name for name in _country_names()}}
        close = difflib.get_close_matches(value.casefold(), list(names), n=3, cutoff=0.7)
        pretty = [known.get(by_name.get(c, ""), "") or names[c] for c in close]
        hint = f"; did you mean {_or_list(pretty)}?" if close else ""
        raise NotFoundError(f"unknown country {text!r}{hint}")
    name = known.get(code) or iso_name or code
    return Country(code=code, name=name, related_codes=_related_codes(session, code))


def _related_codes(session: Session, code: str) -> tuple[str, ...]:
    union = Jurisdiction.__table__.alias("union_")
    member = Jurisdiction.__table__.alias("member")
    link = JurisdictionMembership.__table__
    pairs = session.execute(
        select(union.c.code, member.c.code)
        .select_from(link)
        .join(union, union.c.id == link.c.union_id)
        .join(member, member.c.id == link.c.member_id)
        .where((union.c.code == code) | (member.c.code == code))
    ).all()
    related = {code} | {union_code for union_code, _ in pairs} | {m for _, m in pairs}
    return tuple(sorted(related))


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
