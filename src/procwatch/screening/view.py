"""The check report as a reader meets it: the one model the terminal and Markdown render.

`CheckReport` holds the facts (JSON prints it as is); `report_view` numbers its citations and
words its lines once, so that the terminal and the Markdown report cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from procwatch.dates import format_period
from procwatch.domain import JurisdictionKind
from procwatch.queries.citations import SourceRef
from procwatch.queries.coverage import Coverage, CoveredSource, no_match_text
from procwatch.screening.flags import FLAGS
from procwatch.screening.report import LEVEL_RULE, CheckReport, citation_numbers
from procwatch.tallies import tally

NOT_A_CLEARANCE = (
    "This is not a clearance: the database may simply hold no records about this vendor."
)


@dataclass(frozen=True)
class JurisdictionView:
    """One jurisdiction's lines: measures first, then contracts, then its unions' measures."""

    heading: str
    relation: str | None
    summary: str
    measure_lines: list[str]
    contract_lines: list[str]
    union_lines: list[str]
    # Tallies of the contracts, for terminals that show only the first of thousands.
    contracts_by_year: str
    contract_totals: str

    @property
    def lines(self) -> list[str]:
        """Return every line: measures, contracts, then the measures of its unions."""
        return [*self.measure_lines, *self.contract_lines, *self.union_lines]


@dataclass(frozen=True)
class FlagView:
    """One red flag on one contract, its evidence cited."""

    contract: str
    buyer: str
    code: str
    certainty: str
    evidence: str


@dataclass(frozen=True)
class ReportView:
    """The check report in reading order, every line with its citation numbers."""

    title: str
    level: str
    scope: str
    origin: str
    facts: list[str]
    reasons: list[tuple[str, str]]
    caveat: str | None
    framed: bool
    jurisdictions: list[JurisdictionView]
    flags: list[FlagView]
    flag_definitions: list[tuple[str, str]]
    level_rule: list[tuple[str, str]]
    sources: list[tuple[int, SourceRef]]
    documents: list[tuple[str, str]]
    # What the answer rests on: the lists, OCDS sources and documents loaded.
    coverage: list[str]


def scope_text(report: CheckReport) -> str:
    """Say which date and which buyer's country the report answers for."""
    text = f"as of {report.as_of}"
    if report.for_country and report.for_country_kind == JurisdictionKind.INTERNATIONAL:
        text += f", for a contract financed by the {report.for_country_name}"
        text += f" ({report.for_country})"
    elif report.for_country:
        text += f", for a buyer in {report.for_country_name} ({report.for_country})"
    return text


def report_view(report: CheckReport) -> ReportView:
    """Return the lines of a check report, citations numbered in reading order."""
    numbers = citation_numbers(report)

    def cite(sources: Iterable[SourceRef]) -> str:
        return "".join(f" [{n}]" for n in sorted({numbers[source] for source in sources}))

    vendor = report.vendor
    home = f"{vendor.country_name} ({vendor.country})" if vendor.country else "unknown"
    facts = [
        f"Home country: {home}",
        f"Aliases: {'; '.join(vendor.aliases) or 'none'}{cite(vendor.sources)}",
    ]
    if vendor.identifiers:
        facts.append(f"Identifiers: {'; '.join(vendor.identifiers)}")
    jurisdictions = []
    for row in report.jurisdictions:
        jurisdictions.append(
            JurisdictionView(
                heading=f"{row.name} ({row.code})",
                relation=row.relation,
                summary=row.summary,
                measure_lines=[f"{m.label}{cite(m.sources)}" for m in row.measures],
                contract_lines=[f"{c.label}{cite(c.sources)}" for c in row.contracts],
                union_lines=[
                    f"through the {m.country}: {m.label}{cite(m.sources)}"
                    for m in row.through_unions
                ],
                contracts_by_year=tally(row.contracts).by_year,
                contract_totals=tally(row.contracts).totals,
            )
        )
    flags = [
        FlagView(
            contract=f"{flag.country} {format_period(flag.date, flag.date_end) or 'undated'}: "
            f"{flag.title}",
            buyer=flag.buyer or "",
            code=flag.code,
            certainty=str(flag.certainty),
            evidence=f"{flag.evidence}{cite(flag.sources)}",
        )
        for flag in report.flags
    ]
    used = {flag.code for flag in report.flags}
    return ReportView(
        title=f"Due-diligence check: {vendor.name}",
        level=report.level.upper(),
        scope=scope_text(report),
        origin=report.origin.sentence(),
        facts=facts,
        reasons=[(str(r.level), f"{r.text}{cite(r.sources)}") for r in report.reasons],
        caveat=_caveat(report),
        framed=report.for_country is not None,
        jurisdictions=jurisdictions,
        flags=flags,
        flag_definitions=[
            (f.code, f"{f.definition} (reference: {f.reference})") for f in FLAGS if f.code in used
        ],
        level_rule=[(str(level), rule) for level, rule in LEVEL_RULE],
        sources=[(number, source) for source, number in numbers.items()],
        documents=list({source.source: source.title for source in numbers}.items()),
        coverage=coverage_lines(report.coverage) if report.coverage else [],
    )


def _caveat(report: CheckReport) -> str | None:
    # A vendor no list names is "no match in the lists loaded", never "clean": the reader
    # learns which lists were searched, and how old they are.
    if any(row.measures for row in report.jurisdictions) and not report.nothing_known:
        return None
    if report.coverage is None:
        return NOT_A_CLEARANCE if report.nothing_known else None
    found = no_match_text(report.coverage)
    return f"{found[0].upper()}{found[1:]}. {NOT_A_CLEARANCE}"


def coverage_lines(found: Coverage) -> list[str]:
    """Return the coverage block's lines: each list, each OCDS source, documents, gaps."""
    lines = [f"Lists loaded: {len(found.lists) or 'none'}"]
    lines += [f"list: {_list_line(source)}" for source in found.lists]
    lines += [f"OCDS: {_ocds_line(source)}" for source in found.ocds]
    if found.documents:
        count = len(found.documents)
        lines.append(
            f"{count} document{'s' if count > 1 else ''} (facts cited from "
            f"{'them' if count > 1 else 'it'}, not lists searched): "
            + "; ".join(source.title for source in found.documents)
        )
    if found.missing:
        lines.append(f"No list loaded for: {', '.join(found.missing)} (involved in this question)")
    return lines


def _list_line(source: CoveredSource) -> str:
    details = [source.publisher or "publisher unknown"]
    details.append(f"dated {source.published}" if source.published else "no date of its own")
    if source.sha256:
        details.append(f"SHA-256 {source.sha256[:12]}")
    if source.imported_at:
        details.append(f"imported {source.imported_at}")
    details.append(f"{source.rows:,} measure{'' if source.rows == 1 else 's'}")
    if source.issuers:
        details.append(f"issuers {', '.join(source.issuers)}")
    return f"{source.title} ({'; '.join(details)})"


def _ocds_line(source: CoveredSource) -> str:
    details = [source.publisher or "publisher unknown"]
    details.append(f"contracts dated {source.date}" if source.date else "contracts undated")
    details.append(f"{source.rows:,} contract{'' if source.rows == 1 else 's'}")
    if source.imported_at:
        details.append(f"imported {source.imported_at}")
    return f"{source.title} ({'; '.join(details)})"
