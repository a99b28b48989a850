"""Red flags on contracts, computed from the data each time (never stored), with stable codes."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, or_, select

from procwatch import tables
from procwatch.dates import format_period
from procwatch.domain import MeasureKind
from procwatch.errors import InvalidValueError
from procwatch.queries.citations import SourceRef
from procwatch.queries.contracts import ContractRecord, list_contracts
from procwatch.queries.measures import MeasureRecord, list_measures
from procwatch.screening.decisions import Decision, decisions
from procwatch.screening.periods import Certainty, Period, in_force_when_signed, sort_key
from procwatch.store import chunked

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
    method = contract.procurement_method
    details = contract.procurement_method_details
    if method in NONCOMPETITIVE_METHODS:
        return f"procurement method {method}" + (f" ({details})" if details else "")
    if method is None and details:
        for name, mapped in LOCAL_METHOD_NAMES.items():
            if name in details.casefold():
                return f"'{details}' is an OCDS {mapped} procedure"
    return None


def flag_contracts(
    contracts: Sequence[ContractRecord],
    measures: Sequence[MeasureRecord],
    buyer_ids: Mapping[int, int | None],
) -> list[ContractFlag]:
    """Return the red flags of one vendor's contracts, given its measures and each buyer's id."""
    repeats = _repeat_groups(contracts, buyer_ids)
    # A cross-debarment and the debarment it enforces are one decision, counted once.
    found_decisions = decisions(measures)
    found: list[ContractFlag] = []
    for contract in contracts:
        found.extend(_contract_flags(contract, found_decisions, repeats.get(contract.id, [])))
    return found


def _contract_flags(
    contract: ContractRecord, measures: Sequence[Decision], group: list[ContractRecord]
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
        dates = ", ".join(format_period(c.date, c.date_end) or "undated" for c in group)
        evidence = f"{len(group)} non-competitive awards by {contract.buyer}: {dates}"
        others = [source for other in group if other is not contract for source in other.sources]
        yield flag(REPEAT_NONCOMPETITIVE, Certainty.YES, evidence, others)
    price = [f for f in contract.findings if f.kind.casefold() in PRICE_FINDING_KINDS]
    if price:
        evidence = "; ".join(
            f"{f.kind}"
            + (f" of {f.amount:,} {f.currency}" if f.amount is not None else "")
            + f": {f.description}"
            for f in price
        )
        yield flag(PRICE_FINDING, Certainty.YES, evidence, [s for f in price for s in f.sources])
    signed = Period.of(contract.date, contract.date_end)
    for code, kinds in (
        (SIGNED_WHILE_BANNED, {MeasureKind.BAN, MeasureKind.RESTRICTION}),
        (SIGNED_WHILE_INVESTIGATED, {MeasureKind.INVESTIGATION}),
    ):
        by_certainty: dict[Certainty, list[Decision]] = defaultdict(list)
        for decision in measures:
            if decision.main.kind in kinds:
                period = Period.of(decision.main.date, decision.main.date_end)
                by_certainty[in_force_when_signed(period, signed)].append(decision)
        sure, maybe = by_certainty[Certainty.YES], by_certainty[Certainty.POSSIBLY]
        if not sure and not maybe:
            continue
        parts = [f"signed {format_period(contract.date, contract.date_end) or 'undated'}"]
        if sure:
            parts.append(f"in force then: {_measure_list(sure)}")
        if maybe:
            parts.append(f"possibly in force then: {_measure_list(maybe)}")
        yield flag(
            code,
            Certainty.YES if sure else Certainty.POSSIBLY,
            "; ".join(parts),
            [source for decision in (*sure, *maybe) for source in decision.sources],
        )


def _measure_list(found: list[Decision]) -> str:
    ordered = sorted(found, key=lambda d: (sort_key(d.main.date), d.decider.code))
    return ", ".join(_decision_text(decision) for decision in ordered)


def _decision_text(decision: Decision) -> str:
    main = decision.main
    text = f"{decision.decider.code} {main.kind} "
    text += f"({format_period(main.date, main.date_end) or 'undated'})"
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
    """Return the red flags of the contracts matching the filters, oldest contract first.

    A contract's measures are all of its vendor's measures, wherever they were taken: the
    country filter selects contracts, not the bans that concern them.
    """
    wanted = flag_definition(code).code if code is not None else None
    contracts = list_contracts(
        connection, vendor=vendor, country=country, where=[_may_be_flagged()]
    )
    keys = _contract_keys(connection, [c.id for c in contracts])
    measures = list_measures(connection, vendor=vendor)
    measure_vendors = _measure_vendors(connection, [m.id for m in measures])
    contracts_by_vendor: dict[int, list[ContractRecord]] = defaultdict(list)
    for contract in contracts:
        contracts_by_vendor[keys[contract.id][0]].append(contract)
    measures_by_vendor: dict[int, list[MeasureRecord]] = defaultdict(list)
    for measure in measures:
        measures_by_vendor[measure_vendors[measure.id]].append(measure)
    buyer_ids = {contract_id: buyer for contract_id, (_, buyer) in keys.items()}
    found = [
        flag
        for vendor_id, group in contracts_by_vendor.items()
        for flag in flag_contracts(group, measures_by_vendor[vendor_id], buyer_ids)
        if wanted is None or flag.code == wanted
    ]
    order = {contract.key: index for index, contract in enumerate(contracts)}
    return sorted(found, key=lambda f: (order[f.contract], FLAG_CODES.index(f.code)))


def _may_be_flagged() -> ColumnElement[bool]:
    """Return SQL for the contracts that any flag could concern: a superset, cheap to test.

    Most contracts of a real market are open procedures of vendors nobody sanctioned; loading
    them as records only to find no flag cost a million-contract database a minute and GBs.
    """
    contract = tables.contracts.c
    return or_(
        contract.procurement_method.in_(sorted(NONCOMPETITIVE_METHODS)),
        contract.procurement_method_details.is_not(None),
        contract.id.in_(select(tables.findings.c.contract_id)),
        contract.vendor_id.in_(select(tables.measures.c.vendor_id)),
    )


def _contract_keys(connection: Connection, ids: list[int]) -> dict[int, tuple[int, int | None]]:
    contract = tables.contracts.c
    found: dict[int, tuple[int, int | None]] = {}
    # Chunks keep the IN list under SQLite's bound-parameter limit.
    for chunk in chunked(ids):
        rows = connection.execute(
            select(contract.id, contract.vendor_id, contract.buyer_id).where(contract.id.in_(chunk))
        ).all()
        found.update({row.id: (row.vendor_id, row.buyer_id) for row in rows})
    return found


def _measure_vendors(connection: Connection, ids: list[int]) -> dict[int, int]:
    measure = tables.measures.c
    found: dict[int, int] = {}
    for chunk in chunked(ids):
        rows = connection.execute(
            select(measure.id, measure.vendor_id).where(measure.id.in_(chunk))
        ).all()
        found.update({row.id: row.vendor_id for row in rows})
    return found
