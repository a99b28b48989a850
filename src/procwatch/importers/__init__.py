"""What every importer shares: provenance, jurisdictions, vendor matching and a summary."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from procwatch.models import Jurisdiction, Source, Vendor, VendorAlias, VendorIdentifier
from procwatch.resolve import find_vendor, name_key, resolve_country


class Outcome(StrEnum):
    """What an import did to one record."""

    ADDED = "added"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass
class ImportSummary:
    """Counts per table and outcome, counted warnings, and rejected records with reasons."""

    counts: Counter[tuple[str, Outcome]] = field(default_factory=Counter)
    warnings: Counter[str] = field(default_factory=Counter)
    rejected: list[str] = field(default_factory=list)

    def count(self, table: str, outcome: Outcome) -> None:
        """Count one record of a table with its outcome."""
        self.counts[(table, outcome)] += 1

    def warn(self, message: str) -> None:
        """Count a warning; identical warnings are counted, not repeated."""
        self.warnings[message] += 1

    def merge(self, other: ImportSummary) -> None:
        """Add another summary's counts to this one."""
        self.counts.update(other.counts)
        self.warnings.update(other.warnings)
        self.rejected.extend(other.rejected)

    def get(self, table: str, outcome: Outcome) -> int:
        """Return how many records of a table had an outcome."""
        return self.counts[(table, outcome)]


def file_sha256(path: Path) -> str:
    """Return the SHA-256 of a file's bytes, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def register_source(
    session: Session,
    *,
    key: str,
    title: str,
    path: str | None = None,
    sha256: str | None = None,
    publisher: str | None = None,
    published: str | None = None,
    url: str | None = None,
) -> Source:
    """Return the source with this key, created or updated with the given details."""
    source = session.scalars(select(Source).where(Source.key == key)).first()
    if source is None:
        source = Source(key=key, title=title)
        session.add(source)
    source.title = title
    source.path = path
    source.sha256 = sha256
    source.publisher = publisher
    source.published = published
    source.url = url
    session.flush()
    return source


def jurisdiction_for(session: Session, country: str) -> Jurisdiction:
    """Return the jurisdiction for an ISO code or country name, adding the country if new."""
    resolved = resolve_country(session, country)
    found = session.scalars(select(Jurisdiction).where(Jurisdiction.code == resolved.code)).first()
    if found is None:
        found = Jurisdiction(code=resolved.code, name=resolved.name, kind="country")
        session.add(found)
        session.flush()
    return found


def match_vendor(
    session: Session, name: str, identifiers: Sequence[tuple[str, str]] = ()
) -> Vendor | None:
    """Return the known vendor with one of these identifiers, else with this normalized name."""
    for scheme, identifier in identifiers:
        vendor = session.scalars(
            select(Vendor)
            .join(VendorIdentifier)
            .where(VendorIdentifier.scheme == scheme, VendorIdentifier.identifier == identifier)
        ).first()
        if vendor is not None:
            return vendor
    return find_vendor(session, name)


def upsert_vendor(
    session: Session,
    *,
    key: str,
    name: str,
    identifiers: Sequence[tuple[str, str]] = (),
    aliases: Sequence[str] = (),
    country: Jurisdiction | None = None,
) -> tuple[Vendor, Outcome]:
    """Match a vendor by identifier or name, or add it; keep every new alias and identifier."""
    vendor = match_vendor(session, name, identifiers)
    outcome = Outcome.UNCHANGED
    if vendor is None:
        vendor = Vendor(key=key, name=name, name_key=name_key(name), country=country)
        session.add(vendor)
        session.flush()
        outcome = Outcome.ADDED
    elif vendor.country_id is None and country is not None:
        vendor.country_id = country.id
        outcome = Outcome.UPDATED
    known_names = {vendor.name_key} | {
        alias_key
        for alias_key in session.scalars(
            select(VendorAlias.alias_key).where(VendorAlias.vendor_id == vendor.id)
        )
    }
    for alias in [name, *aliases]:
        alias_key = name_key(alias)
        if alias_key and alias_key not in known_names:
            session.add(VendorAlias(vendor_id=vendor.id, alias=alias, alias_key=alias_key))
            known_names.add(alias_key)
            outcome = Outcome.UPDATED if outcome is Outcome.UNCHANGED else outcome
    known_ids: set[tuple[str, str]] = {
        (row.scheme, row.identifier)
        for row in session.execute(
            select(VendorIdentifier.scheme, VendorIdentifier.identifier).where(
                VendorIdentifier.vendor_id == vendor.id
            )
        )
    }
    for scheme, identifier in identifiers:
        if (scheme, identifier) not in known_ids:
            session.add(VendorIdentifier(vendor_id=vendor.id, scheme=scheme, identifier=identifier))
            known_ids.add((scheme, identifier))
            outcome = Outcome.UPDATED if outcome is Outcome.UNCHANGED else outcome
    session.flush()
    return vendor, outcome
