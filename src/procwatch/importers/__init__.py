"""What every importer shares: provenance, jurisdictions, vendor matching and a summary."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select

from procwatch import tables
from procwatch.domain import Outcome, VendorKind
from procwatch.domain.records import Jurisdiction, Warn
from procwatch.importers.cleaning import clean_name
from procwatch.names import KIND_MARK
from procwatch.resolve import name_key, resolve_country
from procwatch.store import Store

__all__ = ["ImportSummary", "Outcome", "VendorIndex", "jurisdiction_for", "register_source"]


# How many rejected records are kept with their reasons; beyond it they are only counted, so
# that a file of millions of bad values (--skip-invalid) cannot fill memory with messages.
REJECTED_KEPT = 1000


@dataclass
class ImportSummary:
    """Counts per table and outcome, counted warnings, and rejected records with reasons."""

    counts: Counter[tuple[str, Outcome]] = field(default_factory=Counter)
    warnings: Counter[str] = field(default_factory=Counter)
    # Where each warning was first met (an OCDS ocid), so a reader can look at one case.
    first_at: dict[str, str] = field(default_factory=dict)
    rejected: list[str] = field(default_factory=list)
    # Rejected records beyond the first REJECTED_KEPT: counted, their reasons not kept.
    unlisted: int = 0
    # Files of a folder refused whole (all or nothing per file), each with its reason.
    refused_files: list[str] = field(default_factory=list)
    # The import run recorded for it (importers/runs.py), once the import has written.
    run_id: int | None = None

    def refuse_file(self, message: str) -> None:
        """Count a file refused whole, with its name, the position and the reason."""
        self.refused_files.append(message)

    def reject(self, message: str) -> None:
        """Count a rejected record, keeping its reason while fewer than REJECTED_KEPT are."""
        if len(self.rejected) < REJECTED_KEPT:
            self.rejected.append(message)
        else:
            self.unlisted += 1

    @property
    def rejections(self) -> int:
        """Return how many records were rejected, listed or not."""
        return len(self.rejected) + self.unlisted

    def count(self, table: str, outcome: Outcome) -> None:
        """Count one record of a table with its outcome."""
        self.counts[(table, outcome)] += 1

    def warn(self, message: str, where: str | None = None) -> None:
        """Count a warning; identical warnings are counted, not repeated, the first place kept."""
        self.warnings[message] += 1
        if where is not None:
            self.first_at.setdefault(message, where)

    def merge(self, other: ImportSummary) -> None:
        """Add another summary's counts to this one."""
        self.counts.update(other.counts)
        self.warnings.update(other.warnings)
        for message, where in other.first_at.items():
            self.first_at.setdefault(message, where)
        for message in other.rejected:
            self.reject(message)
        self.unlisted += other.unlisted
        self.refused_files.extend(other.refused_files)

    def get(self, table: str, outcome: Outcome) -> int:
        """Return how many records of a table had an outcome."""
        return self.counts[(table, outcome)]


def register_source(
    store: Store,
    *,
    key: str,
    title: str,
    path: str | None = None,
    sha256: str | None = None,
    publisher: str | None = None,
    published: str | None = None,
    url: str | None = None,
) -> int:
    """Return the id of the source with this key, created or updated with the given details."""
    row = {"key": key, "title": title, "path": path, "sha256": sha256, "publisher": publisher}
    row |= {"published": published, "url": url}
    source_id, _ = store.upsert(tables.sources, row, key=("key",))
    return source_id


def jurisdiction_for(store: Store, country: str) -> Jurisdiction:
    """Return the jurisdiction for a code or name (resolve_country), adding it if new."""
    resolved = resolve_country(store.connection, country)
    found = store.find(tables.jurisdictions, code=resolved.code)
    if found is None:
        row = {"code": resolved.code, "name": resolved.name, "kind": resolved.kind.value}
        return Jurisdiction(id=store.insert(tables.jurisdictions, row), **row)
    return Jurisdiction(id=found.id, code=found.code, name=found.name, kind=found.kind)


class VendorIndex:
    """The name, alias and identifier keys of every known vendor, held for one import.

    Matching a vendor per row with a query cost about 2 ms; imports match thousands, so
    the keys are loaded once. Build one per import: the
    index does not see vendors that other code changes after it was loaded. New aliases and
    identifiers wait in memory for `flush`, which the importer calls once per batch: on
    PostgreSQL a round trip each cost a millisecond or more, twice per new vendor.
    """

    def __init__(self, store: Store, warn: Warn) -> None:
        self.store = store
        # Every importer's names pass here: where control characters are removed, counted.
        self.warn = warn
        # Every vendor a key names, oldest first: one name may be firms of several countries.
        self.by_key: dict[str, list[int]] = defaultdict(list)
        # The words of keys that say a kind of entity: "Nuctech" finds "Nuctech Co., Ltd."
        self.by_words: dict[str, list[int]] = defaultdict(list)
        self.keys: dict[int, set[str]] = defaultdict(set)
        self.by_identifier: dict[tuple[str, str], int] = {}
        self.identifiers: dict[int, set[tuple[str, str]]] = defaultdict(set)
        self.country: dict[int, int | None] = {}
        self.kind: dict[int, str] = {}
        self.record_keys: set[str] = set()
        self.new_aliases: list[dict[str, object]] = []
        self.new_identifiers: list[dict[str, object]] = []
        vendor, alias, registered = (
            tables.vendors.c,
            tables.vendor_aliases.c,
            tables.vendor_identifiers.c,
        )
        for vendor_id, record_key, key, country_id, kind in store.execute(
            select(vendor.id, vendor.key, vendor.name_key, vendor.country_id, vendor.kind).order_by(
                vendor.id
            )
        ):
            self._add_key(vendor_id, key)
            self.record_keys.add(record_key)
            self.country[vendor_id] = country_id
            self.kind[vendor_id] = kind
        # Canonical names win over aliases, as in resolve.find_vendor.
        for vendor_id, key in store.execute(
            select(alias.vendor_id, alias.alias_key).order_by(alias.id)
        ):
            self._add_key(vendor_id, key)
        for vendor_id, scheme, identifier in store.execute(
            select(registered.vendor_id, registered.scheme, registered.identifier)
        ):
            self.by_identifier[(scheme, identifier)] = vendor_id
            self.identifiers[vendor_id].add((scheme, identifier))

    def _add_key(self, vendor_id: int, key: str) -> None:
        if vendor_id not in self.by_key[key]:
            self.by_key[key].append(vendor_id)
        words, mark, _ = key.partition(KIND_MARK)
        if mark and vendor_id not in self.by_words[words]:
            self.by_words[words].append(vendor_id)
        self.keys[vendor_id].add(key)

    def _free(self, key: str) -> str:
        candidate, number = key, 1
        while candidate in self.record_keys:
            number += 1
            candidate = f"{key}-{number}"
        return candidate

    def match(
        self,
        name: str,
        identifiers: Sequence[tuple[str, str]] = (),
        country_id: int | None = None,
    ) -> int | None:
        """Return the vendor with one of these identifiers, else with this normalized name.

        A name match is refused when both sides have an identifier of the same scheme and
        they differ, or both have a home country and they differ: two registered companies,
        or two firms of two countries, that share a name are two vendors.
        """
        for pair in identifiers:
            if pair in self.by_identifier:
                return self.by_identifier[pair]
        key = name_key(name)
        candidates = self.by_key.get(key, [])
        if not candidates:
            # As resolve.key_matches: a key that says no kind finds one that does, and back.
            words, mark, _ = key.partition(KIND_MARK)
            candidates = self.by_key.get(words, []) if mark else self.by_words.get(words, [])
        for vendor_id in candidates:
            known_country = self.country.get(vendor_id)
            if None not in (country_id, known_country) and known_country != country_id:
                continue
            known = dict(self.identifiers[vendor_id])
            if not any(scheme in known and known[scheme] != value for scheme, value in identifiers):
                return vendor_id
        return None

    def upsert(
        self,
        *,
        key: str,
        name: str,
        identifiers: Sequence[tuple[str, str]] = (),
        aliases: Sequence[str] = (),
        country: Jurisdiction | None = None,
        kind: VendorKind = VendorKind.UNKNOWN,
    ) -> tuple[int, Outcome]:
        """Match a vendor or add it under `key` (suffixed if taken); keep new aliases and ids.

        A matched vendor's unknown country or kind is filled in; a known one is kept.
        """
        name = clean_name(name, self.warn, "vendor name")
        aliases = [clean_name(alias, self.warn, "vendor alias") for alias in aliases]
        country_id = country.id if country is not None else None
        vendor_id = self.match(name, identifiers, country_id)
        outcome = Outcome.UNCHANGED
        if vendor_id is None:
            key = self._free(key)
            self.record_keys.add(key)
            row = {
                "key": key,
                "name": name,
                "name_key": name_key(name),
                "country_id": country_id,
                "kind": kind.value,
            }
            vendor_id = self.store.insert(tables.vendors, row)
            self._add_key(vendor_id, name_key(name))
            self.country[vendor_id] = country_id
            self.kind[vendor_id] = kind.value
            outcome = Outcome.ADDED
        else:
            changes: dict[str, object] = {}
            if self.country.get(vendor_id) is None and country_id is not None:
                changes["country_id"] = self.country[vendor_id] = country_id
            if self.kind.get(vendor_id) == VendorKind.UNKNOWN and kind != VendorKind.UNKNOWN:
                changes["kind"] = self.kind[vendor_id] = kind.value
            if changes:
                self.store.update(tables.vendors, vendor_id, **changes)
                outcome = Outcome.UPDATED
        new_aliases = []
        for alias in dict.fromkeys([name, *aliases]):
            alias_key = name_key(alias)
            if alias_key and alias_key not in self.keys[vendor_id]:
                new_aliases.append({"vendor_id": vendor_id, "alias": alias, "alias_key": alias_key})
                self._add_key(vendor_id, alias_key)
        new_identifiers = []
        for scheme, identifier in dict.fromkeys(identifiers):
            if (scheme, identifier) not in self.by_identifier:
                new_identifiers.append(
                    {"vendor_id": vendor_id, "scheme": scheme, "identifier": identifier}
                )
                self.by_identifier[(scheme, identifier)] = vendor_id
                self.identifiers[vendor_id].add((scheme, identifier))
        self.new_aliases.extend(new_aliases)
        self.new_identifiers.extend(new_identifiers)
        if outcome is Outcome.UNCHANGED and (new_aliases or new_identifiers):
            outcome = Outcome.UPDATED
        return vendor_id, outcome

    def flush(self) -> None:
        """Write the aliases and identifiers that upsert has kept since the last flush."""
        self.store.insert_many(tables.vendor_aliases, self.new_aliases)
        self.store.insert_many(tables.vendor_identifiers, self.new_identifiers)
        self.new_aliases = []
        self.new_identifiers = []
