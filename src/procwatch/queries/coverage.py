"""What the database covers: the lists, OCDS publications and documents answers rest on.

A source's kind is read from how it came in, not from its key:

- a **list** is a source an `import measures` run points to (import_runs.kind 'measures');
- an **OCDS** source is one an `import ocds` run points to, or whose releases are kept
  (ocds_releases.source_id): a folder's import records one run without a source, but each
  file's releases name theirs;
- a **document** is every other source: the seed's article and any source a fact cites
  without a list import behind it. A document states facts; it is not a list that was
  searched, so a name it does not mention was never "checked" against it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from procwatch import tables
from procwatch.dates import format_period, utc_stamp
from procwatch.domain import ImportKind, JurisdictionKind

if TYPE_CHECKING:
    from sqlalchemy import Connection


class SourceKind(StrEnum):
    """How a source came into the database: a list of measures, an OCDS file, a document."""

    LIST = "list"
    OCDS = "ocds"
    DOCUMENT = "document"


@dataclass(frozen=True)
class CoveredSource:
    """One source and how much of the database comes from it."""

    kind: SourceKind
    key: str
    title: str
    publisher: str | None
    # The date a reader goes by: a list's own publication date, else the day it was imported;
    # for OCDS the span of its contracts' dates; for a document its publication date.
    date: str | None
    # The date the source gives itself (sources.published), where it gives one.
    published: str | None
    sha256: str | None
    # When the last import run of the source finished (UTC), None for seed documents.
    imported_at: str | None
    # Measures citing a list, contracts citing an OCDS source, facts citing a document.
    rows: int
    # The issuers of a list's measures (codes); empty for other kinds.
    issuers: list[str]
    # The first and last contract start date of an OCDS source's contracts.
    first_date: str | None
    last_date: str | None


@dataclass(frozen=True)
class Coverage:
    """The sources an answer rests on, and the issuers it involves that no list covers."""

    lists: list[CoveredSource]
    ocds: list[CoveredSource]
    documents: list[CoveredSource]
    # The issuer codes the question involves (coverage's docstring says which), and those
    # of them that no loaded list has a measure of.
    involved: list[str]
    missing: list[str]

    @property
    def sources(self) -> list[CoveredSource]:
        """Return every source: lists, then OCDS sources, then documents."""
        return [*self.lists, *self.ocds, *self.documents]

    def missing_issuers(self, involved: Iterable[str]) -> list[str]:
        """Return the issuer codes among `involved` that no loaded list has a measure of."""
        return _missing(self.lists, involved)


def _missing(lists: Sequence[CoveredSource], involved: Iterable[str]) -> list[str]:
    covered = {code for source in lists for code in source.issuers}
    return sorted({code for code in involved if code not in covered})


def coverage(connection: Connection, involved: Iterable[str] = ()) -> Coverage:
    """Return the lists, OCDS sources and documents loaded, and the `involved` issuers unlisted.

    What a question involves is the caller's to say: `check --for-country C` passes C's
    related codes (C, the unions it belongs to; for a bank, the banks whose debarments it
    enforces), a plain `check` the international issuers known and the vendor's measures'
    issuers (involved_issuers builds both).
    """
    source = tables.sources.c
    kinds = _kinds(connection)
    runs = _last_runs(connection)
    measure_rows, issuers = _measure_counts(connection)
    contract_rows = _contract_counts(connection)
    fact_rows = _fact_counts(connection)
    grouped: dict[SourceKind, list[CoveredSource]] = {kind: [] for kind in SourceKind}
    for row in connection.execute(select(tables.sources).order_by(source.id)):
        kind = kinds.get(row.id, SourceKind.DOCUMENT)
        imported_at = runs.get(row.id)
        first_date = last_date = None
        if kind is SourceKind.LIST:
            rows = measure_rows.get(row.id, 0)
            date = row.published or (imported_at[:10] if imported_at else None)
        elif kind is SourceKind.OCDS:
            rows, first_date, last_date = contract_rows.get(row.id, (0, None, None))
            date = format_period(first_date, last_date) or None
        else:
            rows, date = fact_rows.get(row.id, 0), row.published
        grouped[kind].append(
            CoveredSource(
                kind=kind,
                key=row.key,
                title=row.title,
                publisher=row.publisher,
                date=date,
                published=row.published,
                sha256=row.sha256,
                imported_at=imported_at,
                rows=rows,
                issuers=issuers.get(row.id, []) if kind is SourceKind.LIST else [],
                first_date=first_date,
                last_date=last_date,
            )
        )
    involved_codes = sorted(set(involved))
    return Coverage(
        lists=grouped[SourceKind.LIST],
        ocds=grouped[SourceKind.OCDS],
        documents=grouped[SourceKind.DOCUMENT],
        involved=involved_codes,
        missing=_missing(grouped[SourceKind.LIST], involved_codes),
    )


def involved_issuers(
    connection: Connection, *, related_codes: Sequence[str] | None, measure_issuers: Iterable[str]
) -> list[str]:
    """Return the issuers a check involves: the buyer's related codes, else banks and the vendor's.

    With --for-country C the question is "may C's buyer contract with this vendor", so the
    issuers that bind C count (related_codes). Without it, the question is the vendor's
    standing anywhere: the international issuers known, whose debarments are meant to be
    public worldwide, and the issuers that have a measure against the vendor.
    """
    if related_codes is not None:
        return sorted(set(related_codes))
    jurisdiction = tables.jurisdictions.c
    international = connection.execute(
        select(jurisdiction.code).where(jurisdiction.kind == JurisdictionKind.INTERNATIONAL.value)
    ).scalars()
    return sorted({*international, *measure_issuers})


def contracts_coverage(connection: Connection, country: str | None) -> Coverage:
    """Return the coverage of a question about contracts, in a country or anywhere.

    A country's contracts involve the issuers that bind its buyers (its related codes: it,
    its unions, for a bank the banks whose debarments it enforces); contracts anywhere
    involve no issuer in particular, so none is reported missing.
    """
    from procwatch.resolve import resolve_country

    related = resolve_country(connection, country).related_codes if country else ()
    return coverage(connection, related)


def no_match_text(found: Coverage) -> str:
    """Say what a search without a candidate covered: "no match in the 2 lists loaded (...)"."""
    if not found.lists:
        return "no list loaded"
    count = len(found.lists)
    named = ", ".join(f"{source.title} {_list_date(source)}" for source in found.lists)
    return f"no match in the {count} list{'s' if count > 1 else ''} loaded ({named})"


def coverage_text(found: Coverage) -> str:
    """Sum up the coverage in one sentence, for outputs that have room for no more."""
    lists = "; ".join(f"{source.title} {_list_date(source)}" for source in found.lists)
    parts = [_counted(len(found.lists), "list") + (f" loaded ({lists})" if lists else " loaded")]
    if found.ocds:
        spans = "; ".join(f"{source.title} {source.date or 'undated'}" for source in found.ocds)
        parts.append(f"{_counted(len(found.ocds), 'OCDS source')} ({spans})")
    if found.documents:
        parts.append(_counted(len(found.documents), "document"))
    if found.missing:
        parts.append(f"no list loaded for {', '.join(found.missing)}")
    return "Coverage: " + ", ".join(parts) + "."


def _counted(count: int, noun: str) -> str:
    return f"{'no' if count == 0 else f'{count:,}'} {noun}{'' if count == 1 else 's'}"


def _list_date(source: CoveredSource) -> str:
    # A list that gives no date of its own is as recent as the day it was downloaded, which
    # the import date stands for: said so, not passed off as the list's date.
    if source.published:
        return source.published
    return f"imported {source.imported_at[:10]}" if source.imported_at else "undated"


def _kinds(connection: Connection) -> dict[int, SourceKind]:
    run = tables.import_runs.c
    kinds: dict[int, SourceKind] = {}
    released = select(tables.ocds_releases.c.source_id).where(
        tables.ocds_releases.c.source_id.is_not(None)
    )
    for (source_id,) in connection.execute(released.distinct()):
        kinds[source_id] = SourceKind.OCDS
    pointed = select(run.source_id, run.kind).where(run.source_id.is_not(None)).distinct()
    for source_id, kind in connection.execute(pointed):
        # A list import wins: a file read as a list is a list whatever else touched it.
        if kind == ImportKind.MEASURES.value:
            kinds[source_id] = SourceKind.LIST
        else:
            kinds.setdefault(source_id, SourceKind.OCDS)
    return kinds


def _last_runs(connection: Connection) -> dict[int, str]:
    run = tables.import_runs.c
    rows = connection.execute(
        select(run.source_id, func.max(run.finished_at))
        .where(run.source_id.is_not(None))
        .group_by(run.source_id)
    )
    return {source_id: _utc_text(finished) for source_id, finished in rows}


def _utc_text(value: datetime | str) -> str:
    # SQLite hands MAX() of a moment back as text.
    return utc_stamp(datetime.fromisoformat(value) if isinstance(value, str) else value)


def _measure_counts(connection: Connection) -> tuple[dict[int, int], dict[int, list[str]]]:
    # Measures citing each source, and the issuers of those measures, in one pass.
    citation, measure = tables.citations.c, tables.measures.c
    jurisdiction = tables.jurisdictions.c
    rows = connection.execute(
        select(citation.source_id, jurisdiction.code, func.count(func.distinct(measure.id)))
        .select_from(tables.citations)
        .join(tables.measures, measure.id == citation.measure_id)
        .join(tables.jurisdictions, jurisdiction.id == measure.jurisdiction_id)
        .group_by(citation.source_id, jurisdiction.code)
        .order_by(citation.source_id, jurisdiction.code)
    )
    counts: dict[int, int] = {}
    issuers: dict[int, list[str]] = {}
    for source_id, code, count in rows:
        counts[source_id] = counts.get(source_id, 0) + count
        issuers.setdefault(source_id, []).append(code)
    return counts, issuers


def _contract_counts(connection: Connection) -> dict[int, tuple[int, str | None, str | None]]:
    citation, contract = tables.citations.c, tables.contracts.c
    cited = (
        select(citation.source_id, citation.contract_id)
        .where(citation.contract_id.is_not(None))
        .distinct()
        .subquery("cited")
    )
    rows = connection.execute(
        select(
            cited.c.source_id,
            func.count(),
            func.min(contract.date_start),
            func.max(contract.date_start),
        )
        .select_from(cited)
        .join(tables.contracts, contract.id == cited.c.contract_id)
        .group_by(cited.c.source_id)
    )
    return {source_id: (count, first, last) for source_id, count, first, last in rows}


def _fact_counts(connection: Connection) -> dict[int, int]:
    citation = tables.citations.c
    rows = connection.execute(select(citation.source_id, func.count()).group_by(citation.source_id))
    return {source_id: count for source_id, count in rows}
