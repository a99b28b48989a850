"""The check report: who the vendor is, what each jurisdiction decided, red flags, a level."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import select

from procwatch import tables
from procwatch.dates import PartialDate, format_period
from procwatch.domain import JurisdictionKind, MeasureKind, Verdict
from procwatch.money import readable_amount
from procwatch.queries.citations import SourceRef
from procwatch.queries.contracts import ContractRecord
from procwatch.queries.coverage import Coverage, coverage, involved_issuers
from procwatch.queries.measures import IssuerRef, MeasureRecord, measures_where
from procwatch.queries.vendors import vendor_profile
from procwatch.resolve import Country, memberships, name_key, resolve_country
from procwatch.screening.decisions import Decision, decisions
from procwatch.screening.flags import ContractFlag, flag_contracts, in_force_text
from procwatch.screening.origin import ReportOrigin, report_origin
from procwatch.screening.periods import (
    Certainty,
    MeasureStatus,
    Period,
    happened_by,
    sort_key,
    status_as_of,
)
from procwatch.screening.reviews import ReviewDecision, decisions_by_pair
from procwatch.store import chunked

if TYPE_CHECKING:
    from sqlalchemy import Connection


class Level(StrEnum):
    """How much a vendor's record calls for care before contracting with it."""

    NONE = "none"
    CAUTION = "caution"
    HIGH = "high"


# The documented rule (README, `procwatch check --help`): the highest level any reason sets.
LEVEL_RULE: tuple[tuple[Level, str], ...] = (
    (
        Level.HIGH,
        "a ban by any jurisdiction is in force on the date; or, asked for a buyer's country C, any "
        "measure by C or by a union C belongs to is in force (for a development bank C: by "
        "a bank whose debarments C enforces)",
    ),
    (
        Level.CAUTION,
        "a restriction or an investigation is in force anywhere; a measure is possibly in "
        "force, possibly ended or ended; or a contract of the vendor carries a red flag "
        "(certainly or possibly)",
    ),
    (Level.NONE, "none of the above is known on the date"),
)
_LEVEL_ORDER = {Level.NONE: 0, Level.CAUTION: 1, Level.HIGH: 2}


def highest(levels: Iterable[Level]) -> Level:
    """Return the highest of some levels (none when there are none)."""
    return max(levels, key=_LEVEL_ORDER.__getitem__, default=Level.NONE)


_VERBS = {
    MeasureKind.BAN: "banned",
    MeasureKind.RESTRICTION: "restricted",
    MeasureKind.INVESTIGATION: "investigated",
}
_KIND_ORDER = {MeasureKind.BAN: 0, MeasureKind.RESTRICTION: 1, MeasureKind.INVESTIGATION: 2}


@dataclass(frozen=True)
class VendorIdentity:
    """Who the report is about."""

    name: str
    aliases: list[str]
    country: str | None
    country_name: str | None
    identifiers: list[str]
    sources: list[SourceRef]


@dataclass(frozen=True)
class MeasureEntry:
    """A measure as it stood on the report's date."""

    key: str
    kind: str
    country: str
    country_name: str
    date: str | None
    date_end: str | None
    status: MeasureStatus
    authority: str | None
    scope: str | None
    legal_basis: str | None
    reason: str | None
    places: str | None
    label: str
    sources: list[SourceRef]
    issuer: IssuerRef
    # Whose decision this measure enforces (a cross-debarment), None for the issuer's own.
    origin: IssuerRef | None
    listed_on: str | None


@dataclass(frozen=True)
class ContractEntry:
    """A contract known by the report's date ("possibly" when its date may be later)."""

    key: str
    date: str | None
    date_end: str | None
    buyer: str | None
    title: str
    procurement_method: str | None
    procurement_method_details: str | None
    amount: str | None
    currency: str | None
    amount_is_estimate: bool
    signed_by_date: Certainty
    label: str
    sources: list[SourceRef]


@dataclass(frozen=True)
class JurisdictionRow:
    """What one jurisdiction decided about the vendor, and what it bought from it."""

    code: str
    name: str
    relation: str | None
    summary: str
    measures: list[MeasureEntry]
    contracts: list[ContractEntry]
    # Measures of the unions this jurisdiction belongs to ("investigated through the EU").
    through_unions: list[MeasureEntry]


@dataclass(frozen=True)
class Reason:
    """One fact that sets the level, with its sources."""

    level: Level
    text: str
    sources: list[SourceRef]


@dataclass(frozen=True)
class CheckReport:
    """The due-diligence report on one vendor."""

    vendor: VendorIdentity
    # The date answered for: the one given, or the day the report was made (never None).
    as_of: str
    for_country: str | None
    for_country_name: str | None
    level: Level
    reasons: list[Reason]
    nothing_known: bool
    jurisdictions: list[JurisdictionRow]
    flags: list[ContractFlag]
    origin: ReportOrigin
    # The kind of --for-country's jurisdiction: an international issuer finances, not hosts.
    for_country_kind: str | None = None
    # The lists and publications the answer rests on (None for a report built by hand).
    coverage: Coverage | None = None
    # A reviewer's decision that the name asked about is (not) this vendor.
    review: ReviewDecision | None = None


def check_vendor(
    connection: Connection,
    name: str,
    *,
    as_of: str | None = None,
    for_country: str | None = None,
    today: date | None = None,
    generated: datetime | None = None,
    vendor_id: int | None = None,
    covered: bool = True,
) -> CheckReport:
    """Return the check report on a vendor as of a date (default today), for a buyer's country.

    Only measures and contracts that had (possibly) begun by the date count; a measure whose
    end lies before the date is shown as ended.
    """
    if as_of is not None:
        PartialDate.parse(as_of)  # a malformed date fails before anything is read
    origin = report_origin(
        connection, as_of or (today.isoformat() if today else None), generated=generated
    )
    as_of = origin.as_of
    as_of_date = PartialDate.parse(as_of)
    country = resolve_country(connection, for_country) if for_country else None
    profile = vendor_profile(connection, name, vendor_id=vendor_id)
    unions_of, members_of = memberships(connection)
    measures = [
        (record, status)
        for records in profile.measures_by_country.values()
        for record in records
        if (status := status_as_of(Period.of(record.date, record.date_end), as_of_date))
    ]
    contracts = [
        (record, known)
        for record in profile.contracts
        if (
            known := happened_by(
                PartialDate.parse(record.date) if record.date else None, as_of_date
            )
        )
        is not Certainty.NO
    ]
    flags = flag_contracts(
        [record for record, _ in contracts],
        [record for record, _ in measures],
        _buyer_ids(connection, profile.id),
    )
    measure_entries = [_measure_entry(record, status) for record, status in measures]
    contract_entries: dict[str, list[ContractEntry]] = defaultdict(list)
    contract_names: dict[str, str] = {}
    for record, known in contracts:
        contract_entries[record.country].append(_contract_entry(record, known))
        contract_names[record.country] = record.country_name
    home = country.code if country else None
    home_unions = set(unions_of.get(home, [])) if home else set()
    relations = _relations(country, unions_of, members_of) if country else {}
    rows = _rows(
        measure_entries,
        contract_entries,
        contract_names,
        unions_of,
        relations,
        home,
        country.name if country else None,
    )
    nothing_known = not measure_entries and not contract_entries
    statuses = {record.id: status for record, status in measures}
    found = decisions([record for record, _ in measures])
    reasons = _reasons(found, statuses, flags, home, home_unions, nothing_known, as_of)
    level = highest(r.level for r in reasons)
    # A reviewer's decision on the name as typed (screen decide); a screen, which names the
    # vendor by its id, applies decisions itself.
    review = None
    if vendor_id is None:
        review = decisions_by_pair(connection).get((name_key(name), profile.id))
    if review is not None:
        reasons.insert(0, Reason(Level.NONE, _review_text(review, name, profile.name), []))
        if review.verdict is Verdict.DIFFERENT:
            level = Level.NONE
    involved = involved_issuers(
        connection,
        related_codes=country.related_codes if country else None,
        measure_issuers=(
            code
            for records in profile.measures_by_country.values()
            for record in records
            for code in (record.country, *([record.origin.code] if record.origin else []))
        ),
    )
    return CheckReport(
        vendor=VendorIdentity(
            name=profile.name,
            aliases=profile.aliases,
            country=profile.country,
            country_name=profile.country_name,
            identifiers=profile.identifiers,
            sources=profile.sources,
        ),
        as_of=as_of,
        for_country=home,
        for_country_name=country.name if country else None,
        level=level,
        reasons=reasons,
        nothing_known=nothing_known,
        jurisdictions=rows,
        flags=flags,
        origin=origin,
        for_country_kind=country.kind.value if country else None,
        coverage=coverage(connection, involved) if covered else None,
        review=review,
    )


@dataclass(frozen=True)
class MeasuresJudged:
    """Check's answer for a vendor without contracts: its measures alone set the level."""

    level: Level
    measures: list[MeasureEntry]
    reasons: list[Reason]


def measures_by_vendor(
    connection: Connection, vendor_ids: Sequence[int]
) -> dict[int, list[MeasureRecord]]:
    """Return the measures of many vendors, by vendor id, in a few queries."""
    measure = tables.measures.c
    found: dict[int, list[MeasureRecord]] = {vendor_id: [] for vendor_id in vendor_ids}
    for chunk in chunked(list(vendor_ids)):
        owners = {
            row.id: row.vendor_id
            for row in connection.execute(
                select(measure.id, measure.vendor_id).where(measure.vendor_id.in_(chunk))
            )
        }
        for record in measures_where(connection, [measure.vendor_id.in_(chunk)]):
            found[owners[record.id]].append(record)
    return found


def judge_measures(
    records: Sequence[MeasureRecord],
    as_of: str,
    *,
    home: str | None = None,
    home_unions: frozenset[str] = frozenset(),
) -> MeasuresJudged:
    """Return check's level, measures and reasons on a date for a vendor without contracts.

    `check_vendor` reads one vendor in a dozen queries; an import that changes the measures
    of ten thousand listed vendors, or a screen of ten thousand names, most of them without
    a contract, judges them from measures read in bulk (measures_by_vendor).
    """
    as_of_date = PartialDate.parse(as_of)
    statuses = {
        record.id: status
        for record in records
        if (status := status_as_of(Period.of(record.date, record.date_end), as_of_date))
    }
    begun = [record for record in records if record.id in statuses]
    reasons = _reasons(decisions(begun), statuses, [], home, set(home_unions), not begun, as_of)
    level = highest(r.level for r in reasons)
    entries = [_measure_entry(record, statuses[record.id]) for record in begun]
    return MeasuresJudged(level, entries, reasons)


def levels_from_measures(
    connection: Connection, vendor_ids: Sequence[int], today: date | None = None
) -> dict[int, Level]:
    """Return check's level today of vendors without contracts (no flag can raise it)."""
    as_of = (today or date.today()).isoformat()
    return {
        vendor_id: judge_measures(records, as_of).level
        for vendor_id, records in measures_by_vendor(connection, vendor_ids).items()
    }


def _review_text(review: ReviewDecision, name: str, vendor: str) -> str:
    verdict = {
        Verdict.SAME: "is",
        Verdict.DIFFERENT: "is not",
        Verdict.UNSURE: "may or may not be",
    }[review.verdict]
    text = f"{review.text}: {name!r} {verdict} {vendor}"
    if review.verdict is Verdict.DIFFERENT:
        text += f"; the reasons below are {vendor}'s and set no level for {name!r}"
    return text


def _buyer_ids(connection: Connection, vendor_id: int) -> dict[int, int | None]:
    contract = tables.contracts.c
    rows = connection.execute(
        select(contract.id, contract.buyer_id).where(contract.vendor_id == vendor_id)
    ).all()
    return {row.id: row.buyer_id for row in rows}


def _relations(
    home: Country, unions_of: dict[str, list[str]], members_of: dict[str, list[str]]
) -> dict[str, str]:
    relations: dict[str, str] = {}
    code = home.code
    if home.kind is JurisdictionKind.INTERNATIONAL:
        # A development bank's "unions" are the banks whose debarments it enforces.
        for other in unions_of.get(code, []):
            relations[other] = f"debarments enforced by {code}"
        relations[code] = "buyer's issuer"
        return relations
    for union in unions_of.get(code, []):
        for member in members_of.get(union, []):
            relations.setdefault(member, f"fellow {union} member")
        relations[union] = f"union {code} belongs to"
    for member in members_of.get(code, []):
        relations[member] = f"{code} member"
    relations[code] = "buyer's country"
    return relations


def _measure_entry(record: MeasureRecord, status: MeasureStatus) -> MeasureEntry:
    period = in_force_text(record.date, record.date_end, record.listed_on)
    # "banned 2021", or "banned, in force since 2021, published 2022-03-01".
    separator = ", " if period.startswith("in force") else " "
    label = f"{_VERBS[MeasureKind(record.kind)]}{separator}{period}"
    if record.scope:
        label += f": {record.scope}"
    if record.places:
        label += f" ({record.places})"
    if record.legal_basis:
        label += f"; under the {record.legal_basis}"
    if record.origin is not None:
        label += f"; enforces {record.origin.titled}'s decision"
    if status is not MeasureStatus.IN_FORCE:
        label += f" — {status}"
    return MeasureEntry(
        key=record.key,
        kind=record.kind,
        country=record.country,
        country_name=record.country_name,
        date=record.date,
        date_end=record.date_end,
        status=status,
        authority=record.authority,
        scope=record.scope,
        legal_basis=record.legal_basis,
        reason=record.reason,
        places=record.places,
        label=label,
        sources=record.sources,
        issuer=record.issuer,
        origin=record.origin,
        listed_on=record.listed_on,
    )


def _contract_entry(record: ContractRecord, known: Certainty) -> ContractEntry:
    period = format_period(record.date, record.date_end) or "undated"
    details = [record.buyer or "buyer unknown"]
    method = record.procurement_method or record.procurement_method_details
    if method:
        details.append(
            f"{record.procurement_method} ({record.procurement_method_details})"
            if record.procurement_method and record.procurement_method_details
            else method
        )
    if record.amount is not None:
        details.append(readable_amount(record.amount, record.currency, record.amount_is_estimate))
    else:
        details.append("value unknown")
    label = f"contracted {period}: {record.title} ({'; '.join(details)})"
    if known is Certainty.POSSIBLY:
        label += " — possibly signed after the as-of date"
    return ContractEntry(
        key=record.key,
        date=record.date,
        date_end=record.date_end,
        buyer=record.buyer,
        title=record.title,
        procurement_method=record.procurement_method,
        procurement_method_details=record.procurement_method_details,
        amount=None if record.amount is None else str(record.amount),
        currency=record.currency,
        amount_is_estimate=record.amount_is_estimate,
        signed_by_date=known,
        label=label,
        sources=record.sources,
    )


def _rows(
    measures: Sequence[MeasureEntry],
    contracts: dict[str, list[ContractEntry]],
    contract_names: dict[str, str],
    unions_of: dict[str, list[str]],
    relations: dict[str, str],
    home: str | None,
    home_name: str | None,
) -> list[JurisdictionRow]:
    by_country: dict[str, list[MeasureEntry]] = defaultdict(list)
    names = dict(contract_names)
    for measure in measures:
        by_country[measure.country].append(measure)
        names[measure.country] = measure.country_name
    codes = set(by_country) | set(contracts)
    if home is not None and home_name is not None:
        codes.add(home)
        names.setdefault(home, home_name)
    rows: list[JurisdictionRow] = []
    for code in codes:
        own = sorted(by_country.get(code, []), key=lambda m: sort_key(m.date))
        bought = contracts.get(code, [])
        through = (
            [m for union in unions_of.get(code, []) for m in by_country.get(union, [])]
            if bought or code == home
            else []
        )
        rows.append(
            JurisdictionRow(
                code=code,
                name=names[code],
                relation=relations.get(code),
                summary=_summary(own, bought, through),
                measures=own,
                contracts=bought,
                through_unions=through,
            )
        )
    rank = {"buyer's country": 0, "buyer's issuer": 0}
    return sorted(rows, key=lambda row: _row_order(row, rank, home))


def _row_order(
    row: JurisdictionRow, rank: dict[str, int], home: str | None
) -> tuple[int, int, tuple[bool, date], str]:
    relation = (
        3
        if row.relation is None
        else rank.get(
            row.relation, 1 if "union" in row.relation or "enforced" in row.relation else 2
        )
    )
    if row.measures:
        kind = min(_KIND_ORDER[MeasureKind(m.kind)] for m in row.measures)
        first = min(sort_key(m.date) for m in row.measures)
    else:
        kind = len(_KIND_ORDER)
        first = min((sort_key(c.date) for c in row.contracts), default=(True, date.max))
    return (relation, kind, first, row.code)


def _summary(
    measures: Sequence[MeasureEntry],
    contracts: Sequence[ContractEntry],
    through: Sequence[MeasureEntry],
) -> str:
    parts = [_short(m) for m in measures]
    if contracts:
        dates = ", ".join(format_period(c.date, c.date_end) or "undated" for c in contracts)
        parts.append(f"contracted {dates}")
    parts.extend(_short(m, through=True) for m in through)
    return "; ".join(parts) or "no contracts or measures recorded"


def _short(measure: MeasureEntry, *, through: bool = False) -> str:
    text = _VERBS[MeasureKind(measure.kind)]
    if through:
        text += f" through the {measure.country}"
    text += f" {format_period(measure.date, measure.date_end) or 'undated'}"
    if measure.status is not MeasureStatus.IN_FORCE:
        text += f" ({measure.status})"
    return text


def _reasons(
    found: Sequence[Decision[MeasureRecord]],
    statuses: dict[int, MeasureStatus],
    flags: Sequence[ContractFlag],
    home: str | None,
    home_unions: set[str],
    nothing_known: bool,
    as_of: str,
) -> list[Reason]:
    reasons: list[Reason] = []
    # One reason per decision: a cross-debarment is the decision it enforces, not another.
    for decision in sorted(found, key=lambda d: (sort_key(d.main.date), d.decider.code)):
        main, status = decision.main, statuses[decision.main.id]
        kind = MeasureKind(main.kind)
        text = f"{_decision_verb(decision)} by {decision.decider.titled} "
        text += f"({format_period(main.date, main.date_end) or 'undated'})"
        if decision.enforcers:
            text += f"; enforced by {', '.join(e.code for e in decision.enforcers)}"
        text += f": {status}"
        issuers = {decision.decider.code, *(e.code for e in decision.enforcers)}
        if status is not MeasureStatus.IN_FORCE:
            level = Level.CAUTION
        elif kind is MeasureKind.BAN:
            level = Level.HIGH
        elif home in issuers:
            level, text = Level.HIGH, f"{text}, in the buyer's own country"
        elif issuers & home_unions:
            level, text = Level.HIGH, f"{text}, a union {home} belongs to"
        else:
            level = Level.CAUTION
        reasons.append(Reason(level, text, decision.sources))
    reasons.extend(_flag_reasons(flags))
    if not reasons:
        when = f" by {as_of}"
        text = (
            f"nothing known: no contracts and no measures are recorded{when}"
            if nothing_known
            else f"no measure and no red flag{when}"
        )
        reasons.append(Reason(Level.NONE, text, []))
    return sorted(reasons, key=lambda r: -_LEVEL_ORDER[r.level])


def _decision_verb(decision: Decision[MeasureRecord]) -> str:
    # The banks' own word for their bans.
    if decision.decider.is_international and decision.main.kind == MeasureKind.BAN:
        return "debarred"
    return _VERBS[MeasureKind(decision.main.kind)]


def _flag_reasons(flags: Iterable[ContractFlag]) -> list[Reason]:
    by_code: dict[str, list[ContractFlag]] = defaultdict(list)
    for flag in flags:
        by_code[flag.code].append(flag)
    reasons = []
    for code, found in by_code.items():
        possible = sum(1 for flag in found if flag.certainty is Certainty.POSSIBLY)
        text = f"red flag {code} on {len(found)} contract{'s' if len(found) > 1 else ''}"
        if possible:
            text += f" ({possible} possibly)" if possible < len(found) else " (possibly)"
        sources = list(dict.fromkeys(s for flag in found for s in flag.sources))
        reasons.append(Reason(Level.CAUTION, text, sources))
    return reasons


def citation_numbers(report: CheckReport) -> dict[SourceRef, int]:
    """Number the report's distinct citations in the order a reader meets them."""
    numbers: dict[SourceRef, int] = {}
    refs: list[SourceRef] = list(report.vendor.sources)
    for reason in report.reasons:
        refs.extend(reason.sources)
    for row in report.jurisdictions:
        for measure in (*row.measures, *row.through_unions):
            refs.extend(measure.sources)
        for contract in row.contracts:
            refs.extend(contract.sources)
    for flag in report.flags:
        refs.extend(flag.sources)
    for ref in refs:
        numbers.setdefault(ref, len(numbers) + 1)
    return numbers
