"""Red flags on contracts, computed from the data each time (never stored), with stable codes."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from itertools import groupby, islice
from operator import itemgetter
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import Select, select

from procwatch import tables
from procwatch.dates import PartialDate, format_period
from procwatch.domain import MeasureKind
from procwatch.errors import InvalidValueError
from procwatch.money import exact_amount, readable_amount
from procwatch.queries.citations import SourceRef, citations
from procwatch.queries.contracts import ContractRecord
from procwatch.queries.flags import (
    POSSIBLY,
    YES,
    ContractFilter,
    distinct_finding_kinds,
    distinct_local_details,
    measure_rows,
    noncompetitive_condition,
    noncompetitive_rows,
    ordered_flag_rows,
    price_rows,
    repeat_members,
)
from procwatch.queries.measures import IssuerRef, MeasureRecord
from procwatch.resolve import resolve_country, resolve_vendor
from procwatch.screening.decisions import Decision, decisions
from procwatch.screening.periods import Certainty, Period, in_force_when_signed, sort_key
from procwatch.store import stream_rows

if TYPE_CHECKING:
    from sqlalchemy import Connection


@dataclass(frozen=True)
class FlagDefinition:
    """A red flag: its stable code, what it means and the indicator it follows."""

    code: str
    name: str
    definition: str
    reference: str


NONCOMPETITIVE = "PW-NONCOMPETITIVE"
REPEAT_NONCOMPETITIVE = "PW-REPEAT-NONCOMPETITIVE"
PRICE_FINDING = "PW-PRICE-FINDING"
SIGNED_WHILE_BANNED = "PW-SIGNED-WHILE-BANNED"
SIGNED_WHILE_INVESTIGATED = "PW-SIGNED-WHILE-INVESTIGATED"

FLAGS: tuple[FlagDefinition, ...] = (
    FlagDefinition(
        NONCOMPETITIVE,
        "Non-competitive procedure",
        "Awarded by an OCDS limited or direct procedure, or a local procedure that is one "
        "(e.g. Georgia's simplified procurement).",
        "opentender.eu integrity indicator INTEGRITY_PROCEDURE_TYPE (non-open procedure)",
    ),
    FlagDefinition(
        REPEAT_NONCOMPETITIVE,
        "Repeated non-competitive awards",
        "The same buyer gave this vendor two or more contracts by non-competitive procedures.",
        'OCP "Red flags for integrity" (2016): a supplier receives multiple non-competitive awards',
    ),
    FlagDefinition(
        PRICE_FINDING,
        "Documented overpayment",
        "An audit, court or press finding recorded on the contract documents an overpayment "
        "or an inflated price.",
        "procwatch (a recorded finding, not a statistical test)",
    ),
    FlagDefinition(
        SIGNED_WHILE_BANNED,
        "Signed while banned or restricted",
        "Signed while a ban or restriction of the vendor by any jurisdiction was in force.",
        "procwatch",
    ),
    FlagDefinition(
        SIGNED_WHILE_INVESTIGATED,
        "Signed during an investigation",
        "Signed while an investigation of the vendor by any jurisdiction was open.",
        "procwatch",
    ),
)
FLAG_CODES = tuple(flag.code for flag in FLAGS)

NONCOMPETITIVE_METHODS = frozenset({"limited", "direct"})
# Local procedure names (lower case) that are an OCDS limited or direct procedure; a
# procurementMethodDetails containing one of them counts even where procurementMethod is empty.
LOCAL_METHOD_NAMES: dict[str, str] = {
    "simplified procurement": "direct",
    "simplified acquisition": "direct",
    "single source": "direct",
    "sole source": "direct",
    "direct award": "direct",
    "direct contracting": "direct",
    "negotiated procedure without prior publication": "limited",
    "negotiated without publication": "limited",
}
PRICE_FINDING_KINDS = frozenset({"overpayment", "overpricing", "inflated price"})


@dataclass(frozen=True)
class ContractFlag:
    """One red flag on one contract, with the evidence and the sources behind it."""

    code: str
    certainty: Certainty
    contract: str
    vendor: str
    buyer: str | None
    country: str
    date: str | None
    date_end: str | None
    title: str
    evidence: str
    sources: list[SourceRef]


def flag_definition(code: str) -> FlagDefinition:
    """Return the definition of a flag code (any case), or raise InvalidValueError."""
    for flag in FLAGS:
        if flag.code == code.strip().upper():
            return flag
    raise InvalidValueError(f"unknown flag {code!r}; expected one of {', '.join(FLAG_CODES)}")


def noncompetitive_method(contract: ContractRecord) -> str | None:
    """Return why a contract's procedure is non-competitive, or None if it is not known to be."""
    return procedure_reason(contract.procurement_method, contract.procurement_method_details)


def procedure_reason(method: str | None, details: str | None) -> str | None:
    """Return why a procedure (OCDS method and its details) is non-competitive, or None."""
    if method in NONCOMPETITIVE_METHODS:
        return f"procurement method {method}" + (f" ({details})" if details else "")
    if method is None and details:
        for name, mapped in LOCAL_METHOD_NAMES.items():
            if name in details.casefold():
                return f"'{details}' is an OCDS {mapped} procedure"
    return None


def is_price_finding(kind: str) -> bool:
    """Return whether a finding's kind documents an overpayment or an inflated price."""
    return kind.casefold() in PRICE_FINDING_KINDS


class _Finding(Protocol):
    @property
    def kind(self) -> str: ...
    @property
    def description(self) -> str: ...
    @property
    def amount(self) -> Decimal | None: ...
    @property
    def currency(self) -> str | None: ...


def repeat_evidence(buyer: str | None, periods: Sequence[tuple[str | None, str | None]]) -> str:
    """Word a repeat flag: how many awards the buyer gave, and when (in contract order)."""
    dates = ", ".join(format_period(start, end) or "undated" for start, end in periods)
    return f"{len(periods)} non-competitive awards by {buyer}: {dates}"


def price_evidence(findings: Sequence[_Finding]) -> str:
    """Word a price flag from its findings, in the order they were recorded."""
    return "; ".join(
        f"{f.kind}"
        + (f" of {readable_amount(f.amount, f.currency)}" if f.amount is not None else "")
        + f": {f.description}"
        for f in findings
    )


def measure_evidence(
    date: str | None,
    date_end: str | None,
    sure: Sequence[Decision[Any]],
    maybe: Sequence[Decision[Any]],
) -> str:
    """Word a measure flag: when the contract was signed, what was (possibly) in force then."""
    parts = [f"signed {format_period(date, date_end) or 'undated'}"]
    if sure:
        parts.append(f"in force then: {_measure_list(sure, date_end or date)}")
    if maybe:
        parts.append(f"possibly in force then: {_measure_list(maybe, date_end or date)}")
    return "; ".join(parts)


def in_force_text(date: str | None, date_end: str | None, listed_on: str | None) -> str:
    """Word a measure's period, and its publication where the list gives a later one.

    "2021" alone, or "in force since 2021, published 2022-03-01": a measure in force before
    anyone could read of it is not one a buyer ignored.
    """
    period = format_period(date, date_end) or "undated"
    if not listed_on or listed_on == date:
        return period
    if not date:
        return f"undated, published {listed_on}"
    return f"in force {period if date_end else f'since {period}'}, published {listed_on}"


def published_after(listed_on: str | None, signed_last: str | None) -> bool:
    """Return whether a measure was certainly published after a contract's last signing day."""
    if not listed_on or not signed_last:
        return False
    return PartialDate.parse(signed_last).latest() < PartialDate.parse(listed_on).earliest()


# The measure kinds behind each measure flag.
MEASURE_FLAG_KINDS: dict[str, frozenset[MeasureKind]] = {
    SIGNED_WHILE_BANNED: frozenset({MeasureKind.BAN, MeasureKind.RESTRICTION}),
    SIGNED_WHILE_INVESTIGATED: frozenset({MeasureKind.INVESTIGATION}),
}


def flag_contracts(
    contracts: Sequence[ContractRecord],
    measures: Sequence[MeasureRecord],
    buyer_ids: Mapping[int, int | None],
) -> list[ContractFlag]:
    """Return the red flags of one vendor's contracts, given its measures and each buyer's id.

    The rules on records in memory, for one vendor's report; find_flags applies the same
    rules in the database to any number of contracts.
    """
    repeats = _repeat_groups(contracts, buyer_ids)
    # A cross-debarment and the debarment it enforces are one decision, counted once.
    found_decisions = decisions(measures)
    found: list[ContractFlag] = []
    for contract in contracts:
        found.extend(_contract_flags(contract, found_decisions, repeats.get(contract.id, [])))
    return found


def _contract_flags(
    contract: ContractRecord,
    measures: Sequence[Decision[MeasureRecord]],
    group: list[ContractRecord],
) -> Iterable[ContractFlag]:
    def flag(
        code: str, certainty: Certainty, evidence: str, sources: list[SourceRef]
    ) -> ContractFlag:
        return ContractFlag(
            code=code,
            certainty=certainty,
            contract=contract.key,
            vendor=contract.vendor,
            buyer=contract.buyer,
            country=contract.country,
            date=contract.date,
            date_end=contract.date_end,
            title=contract.title,
            evidence=evidence,
            sources=_unique([*contract.sources, *sources]),
        )

    method = noncompetitive_method(contract)
    if method is not None:
        yield flag(NONCOMPETITIVE, Certainty.YES, method, [])
    if group:
        evidence = repeat_evidence(contract.buyer, [(c.date, c.date_end) for c in group])
        others = [source for other in group if other is not contract for source in other.sources]
        yield flag(REPEAT_NONCOMPETITIVE, Certainty.YES, evidence, others)
    price = [f for f in contract.findings if is_price_finding(f.kind)]
    if price:
        sources = [s for f in price for s in f.sources]
        yield flag(PRICE_FINDING, Certainty.YES, price_evidence(price), sources)
    signed = Period.of(contract.date, contract.date_end)
    for code, kinds in MEASURE_FLAG_KINDS.items():
        by_certainty: dict[Certainty, list[Decision[MeasureRecord]]] = defaultdict(list)
        for decision in measures:
            if decision.main.kind in kinds:
                period = Period.of(decision.main.date, decision.main.date_end)
                by_certainty[in_force_when_signed(period, signed)].append(decision)
        sure, maybe = by_certainty[Certainty.YES], by_certainty[Certainty.POSSIBLY]
        if not sure and not maybe:
            continue
        yield flag(
            code,
            Certainty.YES if sure else Certainty.POSSIBLY,
            measure_evidence(contract.date, contract.date_end, sure, maybe),
            [source for decision in (*sure, *maybe) for source in decision.sources],
        )


# A market has a few thousand distinct dates and flags repeat them: each is parsed once.
_date_key = lru_cache(maxsize=100_000)(sort_key)


def _measure_list(found: Sequence[Decision[Any]], signed_last: str | None) -> str:
    ordered = (
        sorted(found, key=lambda d: (_date_key(d.main.date), d.decider.code))
        if len(found) > 1
        else found
    )
    return ", ".join(_decision_text(decision, signed_last) for decision in ordered)


def _decision_text(decision: Decision[Any], signed_last: str | None) -> str:
    # The main measure's publication: the decider's own where the database holds it, else
    # the enforcer's notice (EBRD's "Notice Effective At EBRD").
    main = decision.main
    when = in_force_text(main.date, main.date_end, main.listed_on)
    text = f"{decision.decider.code} {main.kind} ({when}"
    if main.listed_on != main.date and published_after(main.listed_on, signed_last):
        text += ", after this contract was signed"
    text += ")"
    if decision.enforcers:
        text += f" enforced by {', '.join(e.code for e in decision.enforcers)}"
    return text


def _repeat_groups(
    contracts: Sequence[ContractRecord], buyer_ids: Mapping[int, int | None]
) -> dict[int, list[ContractRecord]]:
    by_buyer: dict[int, list[ContractRecord]] = defaultdict(list)
    for contract in contracts:
        buyer = buyer_ids.get(contract.id)
        if buyer is not None and noncompetitive_method(contract) is not None:
            by_buyer[buyer].append(contract)
    return {
        contract.id: group for group in by_buyer.values() if len(group) > 1 for contract in group
    }


def _unique(sources: Iterable[SourceRef]) -> list[SourceRef]:
    return list(dict.fromkeys(sources))


def find_flags(
    connection: Connection,
    *,
    vendor: str | None = None,
    country: str | None = None,
    code: str | None = None,
) -> list[ContractFlag]:
    """Return the red flags of the contracts matching the filters, oldest contract first."""
    return list(stream_flags(connection, vendor=vendor, country=country, code=code))


def stream_flags(
    connection: Connection,
    *,
    vendor: str | None = None,
    country: str | None = None,
    code: str | None = None,
) -> Iterator[ContractFlag]:
    """Return the red flags of the contracts matching the filters as they come, oldest first.

    The database finds the flagged rows (queries/flags.py) and hands them over in order;
    Python words the evidence and adds the sources, a batch at a time, so memory stays flat
    however many contracts are flagged. A contract's measures are all of its vendor's
    measures, wherever they were taken: the country filter selects contracts, not the bans
    that concern them.
    """
    wanted = (flag_definition(code).code,) if code is not None else FLAG_CODES
    where = ContractFilter(
        vendor_id=resolve_vendor(connection, vendor).id if vendor is not None else None,
        jurisdiction_codes=(
            resolve_country(connection, country).related_codes if country is not None else None
        ),
    )
    families: list[Select[Any]] = []
    groups: dict[tuple[int, int], _Group] = {}
    if NONCOMPETITIVE in wanted or REPEAT_NONCOMPETITIVE in wanted:
        local = [
            details
            for (details,) in connection.execute(distinct_local_details())
            if procedure_reason(None, details) is not None
        ]
        noncompetitive = noncompetitive_condition(NONCOMPETITIVE_METHODS, local)
        # One family's rows bring both flags: a repeat is a non-competitive award.
        families.append(noncompetitive_rows(_index(NONCOMPETITIVE), noncompetitive, where))
        if REPEAT_NONCOMPETITIVE in wanted:
            groups = _read_groups(connection, repeat_members(noncompetitive, where))
    if PRICE_FINDING in wanted:
        found_kinds = connection.execute(distinct_finding_kinds()).scalars()
        kinds = [kind for kind in found_kinds if is_price_finding(kind)]
        families.append(price_rows(_index(PRICE_FINDING), kinds, where))
    issuers: dict[str, IssuerRef] = {}
    for measure_code, measure_kinds in MEASURE_FLAG_KINDS.items():
        if measure_code in wanted:
            issuers = issuers or _issuers(connection)
            kind_values = [kind.value for kind in measure_kinds]
            families.append(measure_rows(_index(measure_code), kind_values, where))
    # Not a generator itself: a bad filter fails here, before a caller opens its output.
    return _stream(connection, ordered_flag_rows(families), groups, issuers, wanted)


def _issuers(connection: Connection) -> dict[str, IssuerRef]:
    # Every issuer by code, for the decisions of measure rows (a few hundred jurisdictions).
    jurisdiction = tables.jurisdictions.c
    rows = connection.execute(select(jurisdiction.code, jurisdiction.name, jurisdiction.kind))
    return {code: IssuerRef(code, name, kind) for code, name, kind in rows}


def _stream(
    connection: Connection,
    statement: Select[Any],
    groups: Mapping[tuple[int, int], _Group],
    issuers: Mapping[str, IssuerRef],
    wanted: Collection[str],
) -> Iterator[ContractFlag]:
    drafts = _drafts(stream_rows(connection, statement), groups, issuers, wanted)
    sources = _Sources(connection)
    for batch in _batches(drafts, SOURCE_BATCH):
        yield from sources.complete(batch)


def _index(code: str) -> int:
    return FLAG_CODES.index(code)


# Flags whose sources are looked up together: one IN (...) per batch and table.
SOURCE_BATCH = 5000


@dataclass(frozen=True)
class _Group:
    """A repeat group: its members' periods in contract order and their ids."""

    periods: tuple[tuple[str | None, str | None], ...]
    ids: tuple[int, ...]


def _read_groups(connection: Connection, statement: Select[Any]) -> dict[tuple[int, int], _Group]:
    # Ids and dates only: a million-contract market's groups hold a few MB.
    found: dict[tuple[int, int], _Group] = {}
    rows = (row for batch in stream_rows(connection, statement) for row in batch)
    for key, members in groupby(rows, key=itemgetter(0, 1)):
        listed = list(members)
        found[key] = _Group(
            periods=tuple((row[3], row[4]) for row in listed), ids=tuple(row[2] for row in listed)
        )
    return found


@dataclass(frozen=True)
class _Item:
    """A finding behind a flag, as the flag query returns it."""

    id: int
    kind: str
    description: str
    amount: Decimal | None
    currency: str | None


@dataclass(frozen=True)
class _MeasureItem:
    """A measure behind a flag, as the flag query returns it: enough to group decisions."""

    id: int
    kind: str
    date: str | None
    date_end: str | None
    issuer: IssuerRef
    origin: IssuerRef | None
    listed_on: str | None


@dataclass
class _Draft:
    """A flag with its evidence worded, waiting for its sources."""

    flag: ContractFlag
    contract_id: int
    # The other contracts, measures and findings whose citations the flag carries, in order.
    contracts: tuple[int, ...] = ()
    measures: tuple[int, ...] = ()
    findings: tuple[int, ...] = ()


# Positions in a row of queries.flags.ordered_flag_rows.
_CONTRACT_ID, _CODE, _CERTAINTY = 0, 1, 2
_ITEM = slice(3, 12)
(_KEY, _VENDOR_ID, _BUYER_ID, _VENDOR, _BUYER, _COUNTRY, _TITLE, _DATE, _DATE_END, _METHOD,
 _DETAILS) = range(12, 23)  # fmt: skip


def _drafts(
    batches: Iterator[Sequence[Any]],
    groups: Mapping[tuple[int, int], _Group],
    issuers: Mapping[str, IssuerRef],
    wanted: Collection[str],
) -> Iterator[_Draft]:
    rows = (row for batch in batches for row in batch)
    for (contract_id, index), flag_rows in groupby(rows, key=itemgetter(0, 1)):
        listed = list(flag_rows)
        first = listed[0]
        for code, certainty, evidence, cited in _worded(
            FLAG_CODES[index], contract_id, listed, groups, issuers, wanted
        ):
            flag = ContractFlag(
                code=code,
                certainty=certainty,
                contract=first[_KEY],
                vendor=first[_VENDOR],
                buyer=first[_BUYER],
                country=first[_COUNTRY],
                date=first[_DATE],
                date_end=first[_DATE_END],
                title=first[_TITLE],
                evidence=evidence,
                sources=[],
            )
            yield _Draft(flag, contract_id, **cited)


_Worded = tuple[str, Certainty, str, dict[str, tuple[int, ...]]]


def _worded(
    code: str,
    contract_id: int,
    rows: Sequence[Any],
    groups: Mapping[tuple[int, int], _Group],
    issuers: Mapping[str, IssuerRef],
    wanted: Collection[str],
) -> Iterator[_Worded]:
    """Yield the flags of a family's rows: code, certainty, evidence and cited records."""
    first = rows[0]
    if code == NONCOMPETITIVE:
        # A non-competitive contract is also a repeat when its group has other members:
        # the groups were read first, so one row brings both flags, in FLAG_CODES order.
        if NONCOMPETITIVE in wanted:
            reason = procedure_reason(first[_METHOD], first[_DETAILS])
            assert reason is not None, "the query selects non-competitive contracts only"
            yield NONCOMPETITIVE, Certainty.YES, reason, {}
        group = groups.get((first[_VENDOR_ID], first[_BUYER_ID]))
        if group is not None and REPEAT_NONCOMPETITIVE in wanted:
            others = tuple(other for other in group.ids if other != contract_id)
            evidence = repeat_evidence(first[_BUYER], group.periods)
            yield REPEAT_NONCOMPETITIVE, Certainty.YES, evidence, {"contracts": others}
        return
    if code == PRICE_FINDING:
        findings = [_finding(row) for row in rows]
        cited = {"findings": tuple(f.id for f in findings)}
        yield PRICE_FINDING, Certainty.YES, price_evidence(findings), cited
        return
    # The measures in list_measures' order, grouped into decisions as the rule on records
    # groups them (decisions.py); a decision is in force as its main measure is, and the
    # evidence then sorts each list by date and decider, as the rule on records does.
    certainty = {row[_ITEM][0]: row[_CERTAINTY] for row in rows}
    measures = [_measure(row, issuers) for row in rows]
    if len(measures) > 1:  # most contracts meet one measure: nothing to order
        measures.sort(key=lambda m: (m.date is None, m.date or "", m.id))
    found = [(d, certainty[d.main.id]) for d in decisions(measures)]
    sure = [decision for decision, found_certainty in found if found_certainty == YES]
    maybe = [decision for decision, found_certainty in found if found_certainty == POSSIBLY]
    if not sure and not maybe:  # only measures of decisions not in force then
        return
    yield (
        code,
        Certainty.YES if sure else Certainty.POSSIBLY,
        measure_evidence(first[_DATE], first[_DATE_END], sure, maybe),
        {"measures": tuple(m.id for d in (*sure, *maybe) for m in d.measures)},
    )


def _finding(row: Sequence[Any]) -> _Item:
    item_id, _, kind, text, _, _, _, amount, currency = row[_ITEM]
    return _Item(
        id=item_id,
        kind=kind,
        description=text,
        amount=exact_amount(amount, currency),
        currency=currency,
    )


def _measure(row: Sequence[Any], issuers: Mapping[str, IssuerRef]) -> _MeasureItem:
    # A measure's row carries its listed_on where a finding's carries its description.
    item_id, issuer, kind, listed_on, start, end, origin, _, _ = row[_ITEM]
    return _MeasureItem(
        id=item_id,
        kind=kind,
        date=start,
        date_end=end,
        issuer=issuers[issuer],
        origin=issuers[origin] if origin is not None else None,
        listed_on=listed_on,
    )


def _batches(drafts: Iterator[_Draft], size: int) -> Iterator[list[_Draft]]:
    while batch := list(islice(drafts, size)):
        yield batch


class _Sources:
    """Looks up the citations of a batch of flags; a measure's are kept, as few measures are."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self._measures: dict[int, list[SourceRef]] = {}

    def complete(self, batch: list[_Draft]) -> Iterator[ContractFlag]:
        """Yield the batch's flags with their sources: the contract's, then the evidence's."""
        citation = tables.citations.c
        contract_ids = {d.contract_id for d in batch} | {i for d in batch for i in d.contracts}
        contracts = citations(self._connection, citation.contract_id, sorted(contract_ids))
        findings = citations(
            self._connection, citation.finding_id, sorted({i for d in batch for i in d.findings})
        )
        missing = sorted({i for d in batch for i in d.measures} - self._measures.keys())
        found = citations(self._connection, citation.measure_id, missing)
        self._measures.update({measure: found.get(measure, []) for measure in missing})
        measured = any(self._measures[m] for d in batch for m in d.measures)
        if not (contracts or findings or measured):
            # Nothing in this batch is cited (a market loaded without its sources).
            for draft in batch:
                yield draft.flag
            return
        for draft in batch:
            cited = [
                *contracts.get(draft.contract_id, []),
                *(s for other in draft.contracts for s in contracts.get(other, [])),
                *(s for measure in draft.measures for s in self._measures[measure]),
                *(s for finding in draft.findings for s in findings.get(finding, [])),
            ]
            # Filled in place: the flag was made with an empty list for this, and copying
            # each frozen flag anew cost a tenth of a large run.
            draft.flag.sources.extend(_unique(cited))
            yield draft.flag
