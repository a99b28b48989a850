"""The SQL of the red flags: one set-based query per flag family, merged in contract order.

screening/flags.py states the rules and words the evidence; this module finds, in the
database, the rows each rule concerns, so that `procwatch flags` streams them instead of
loading every contract that might carry one (a million contracts: 44 s and 1.2 GB).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Integer,
    Select,
    String,
    and_,
    case,
    cast,
    false,
    func,
    literal,
    null,
    or_,
    select,
    union_all,
)

from procwatch import tables

YES, POSSIBLY, NO = "yes", "possibly", "no"


@dataclass(frozen=True)
class ContractFilter:
    """Which contracts a flag query looks at: one vendor, some jurisdictions, or all."""

    vendor_id: int | None = None
    jurisdiction_codes: tuple[str, ...] | None = None

    def conditions(self) -> list[ColumnElement[bool]]:
        """Return the conditions on `contracts` that select these contracts."""
        contract = tables.contracts.c
        found: list[ColumnElement[bool]] = []
        if self.vendor_id is not None:
            found.append(contract.vendor_id == self.vendor_id)
        if self.jurisdiction_codes is not None:
            jurisdiction = tables.jurisdictions.c
            found.append(
                contract.jurisdiction_id.in_(
                    select(jurisdiction.id).where(jurisdiction.code.in_(self.jurisdiction_codes))
                )
            )
        return found


def earliest(column: Any) -> ColumnElement[str]:
    """Return SQL for the first day a stored partial date may denote, as ISO text.

    "2020" gives "2020-01-01", "2020-03" gives "2020-03-01", a day stays itself.
    """
    return func.substr(column.concat("-01-01"), 1, 10)


def latest(column: Any) -> ColumnElement[str]:
    """Return SQL that sorts after every day a stored partial date may denote, and before the next.

    "2020" gives "2020-99-99" and "2020-03" gives "2020-03-99": not days, but they compare
    with real ISO days exactly as the period's last day does, which is all the rules do, and
    they need no calendar in SQL (month lengths, leap years) that SQLite and PostgreSQL share.
    """
    return func.substr(column.concat("-99-99"), 1, 10)


def in_force_when_signed(measure: Any, contract: Any) -> ColumnElement[str]:
    """Return SQL for periods.in_force_when_signed of a measure and a contract: yes/possibly/no.

    The same rule, case for case (tests/queries/test_flags.py compares the two on every
    combination of precisions): a missing measure start is "since ever", a missing end
    "still in force", an undated contract "possibly" against every measure.
    """
    signed_first = earliest(contract.date_start)
    signed_last = latest(func.coalesce(contract.date_end, contract.date_start))
    return case(
        (contract.date_start.is_(None), POSSIBLY),
        (and_(measure.date_start.is_not(None), earliest(measure.date_start) > signed_last), NO),
        (and_(measure.date_end.is_not(None), latest(measure.date_end) < signed_first), NO),
        (
            and_(
                measure.date_start.is_not(None),
                latest(measure.date_start) < signed_first,
                or_(measure.date_end.is_(None), earliest(measure.date_end) > signed_last),
            ),
            YES,
        ),
        else_=POSSIBLY,
    )


def noncompetitive_condition(
    methods: Collection[str], local_details: Collection[str]
) -> ColumnElement[bool]:
    """Return SQL for flags.noncompetitive_method(...) is not None.

    `local_details` are the procurementMethodDetails texts found to name a local
    non-competitive procedure: the caller tests the distinct texts with the Python rule
    (casefold, substring), so the rule is stated once and SQL only compares values.
    """
    contract = tables.contracts.c
    local: ColumnElement[bool] = (
        and_(
            contract.procurement_method.is_(None),
            contract.procurement_method_details.in_(sorted(local_details)),
        )
        if local_details
        else false()
    )
    return or_(contract.procurement_method.in_(sorted(methods)), local)


def distinct_local_details() -> Select[Any]:
    """Return the distinct details texts of contracts with no OCDS method (few: a vocabulary)."""
    contract = tables.contracts.c
    return (
        select(contract.procurement_method_details)
        .where(contract.procurement_method.is_(None))
        .where(contract.procurement_method_details.is_not(None))
        .distinct()
    )


def distinct_finding_kinds() -> Select[Any]:
    """Return the distinct kinds of findings, for the Python rule to pick the price ones."""
    return select(tables.findings.c.kind).distinct()


# Every family's query selects the same columns (_family), so that one UNION ALL orders
# them all: the contract, the flag's position in FLAG_CODES, the certainty, and the measure
# or finding behind the flag (NULL for a flag about the contract alone), with the code of
# the issuer whose decision a measure enforces (a cross-debarment).
def _family(
    code: int,
    certainty: ColumnElement[Any] | str,
    *,
    item_id: Any = None,
    country: Any = None,
    kind: Any = None,
    text: Any = None,
    start: Any = None,
    end: Any = None,
    origin: Any = None,
    amount: Any = None,
    currency: Any = None,
) -> list[ColumnElement[Any]]:
    # Typed NULLs: PostgreSQL needs every UNION branch's column to agree on a type.
    def value(column: Any, type_: Any) -> ColumnElement[Any]:
        return cast(null(), type_) if column is None else column

    return [
        tables.contracts.c.id.label("contract_id"),
        literal(code, Integer).label("code"),
        (literal(certainty, String) if isinstance(certainty, str) else certainty).label(
            "certainty"
        ),
        value(item_id, Integer).label("item_id"),
        value(country, String).label("item_country"),
        value(kind, String).label("item_kind"),
        value(text, String).label("item_text"),
        value(start, String).label("item_start"),
        value(end, String).label("item_end"),
        value(origin, String).label("item_origin"),
        value(amount, tables.findings.c.amount_minor.type).label("item_amount"),
        value(currency, String).label("item_currency"),
    ]


def noncompetitive_rows(
    code: int, noncompetitive: ColumnElement[bool], where: ContractFilter
) -> Select[Any]:
    """Return a row per contract awarded by a non-competitive procedure."""
    return select(*_family(code, YES)).where(noncompetitive, *where.conditions())


def _repeat_groups(noncompetitive: ColumnElement[bool], where: ContractFilter) -> Any:
    # A buyer's vendor with two or more such awards among the contracts looked at: the
    # group is counted within the filters, as the rule counts the contracts it is given.
    contract = tables.contracts.c
    return (
        select(contract.vendor_id, contract.buyer_id)
        .where(noncompetitive, contract.buyer_id.is_not(None), *where.conditions())
        .group_by(contract.vendor_id, contract.buyer_id)
        .having(func.count() > 1)
        .subquery("repeat_groups")
    )


def repeat_members(noncompetitive: ColumnElement[bool], where: ContractFilter) -> Select[Any]:
    """Return the contracts of every repeat group, by group and in contract order.

    The evidence of each member names the dates of all of its group, so the groups are read
    once, first: they hold only ids and dates, not the contracts' records.
    """
    contract = tables.contracts.c
    groups = _repeat_groups(noncompetitive, where)
    return (
        select(
            contract.vendor_id,
            contract.buyer_id,
            contract.id,
            contract.date_start,
            contract.date_end,
        )
        .join(
            groups,
            and_(groups.c.vendor_id == contract.vendor_id, groups.c.buyer_id == contract.buyer_id),
        )
        .where(noncompetitive, *where.conditions())
        .order_by(
            contract.vendor_id,
            contract.buyer_id,
            contract.date_start.is_(None),
            contract.date_start,
            contract.id,
        )
    )


def price_rows(code: int, kinds: Collection[str], where: ContractFilter) -> Select[Any]:
    """Return a row per finding of an overpayment (one of `kinds`) on a contract."""
    finding = tables.findings.c
    return (
        select(
            *_family(
                code,
                YES,
                item_id=finding.id,
                kind=finding.kind,
                text=finding.description,
                amount=finding.amount_minor,
                currency=finding.currency,
            )
        )
        .select_from(tables.findings)
        .join(tables.contracts, tables.contracts.c.id == finding.contract_id)
        .where(finding.kind.in_(sorted(kinds)) if kinds else false(), *where.conditions())
    )


def measure_rows(code: int, kinds: Collection[str], where: ContractFilter) -> Select[Any]:
    """Return a row per contract and measure of `kinds` against its vendor that may overlap.

    Set-based: contracts join their vendor's measures on vendor_id (both indexed), and the
    date rule runs in the database, so only the pairs that may overlap reach Python. A
    measure counts wherever it was taken: the filters select contracts, not measures.

    A cross-debarment and the measure it enforces are one decision, in force as the
    decider's own measure is (screening/decisions.py groups them): both come whatever the
    date rule says of each, so that Python groups them as the rule on records does.
    """
    contract, measure = tables.contracts.c, tables.measures.c
    jurisdiction = tables.jurisdictions.alias("measure_jurisdiction")
    origin = tables.jurisdictions.alias("measure_origin")
    enforcement = tables.measures.alias("enforcement")
    certainty = in_force_when_signed(measure, contract)
    enforced = (
        select(enforcement.c.id)
        .where(
            enforcement.c.vendor_id == measure.vendor_id,
            enforcement.c.origin_id == measure.jurisdiction_id,
        )
        .exists()
    )
    pairs = (
        select(
            *_family(
                code,
                certainty,
                item_id=measure.id,
                country=jurisdiction.c.code,
                kind=measure.kind,
                # The date the list published it: the evidence says when one could know.
                text=measure.listed_on,
                start=measure.date_start,
                end=measure.date_end,
                origin=origin.c.code,
            ),
            or_(measure.origin_id.is_not(None), enforced).label("in_decision"),
        )
        .select_from(tables.contracts)
        .join(
            tables.measures,
            and_(measure.vendor_id == contract.vendor_id, measure.kind.in_(sorted(kinds))),
        )
        .join(jurisdiction, jurisdiction.c.id == measure.jurisdiction_id)
        .outerjoin(origin, origin.c.id == measure.origin_id)
        .where(*where.conditions())
        .subquery("pairs")
    )
    return select(*(column for column in pairs.c if column.name != "in_decision")).where(
        or_(pairs.c.certainty != NO, pairs.c.in_decision)
    )


def ordered_flag_rows(families: Sequence[Select[Any]]) -> Select[Any]:
    """Return the families' rows with their contracts' facts, oldest contract first.

    One ORDER BY over the UNION ALL puts every flag of a contract together, in FLAG_CODES
    order, and the items of a flag together, so Python reads them in one pass.
    """
    contract, vendor, buyer = tables.contracts.c, tables.vendors.c, tables.buyers.c
    jurisdiction = tables.jurisdictions.c
    union: CompoundSelect[Any] | Select[Any] = (
        union_all(*families) if len(families) > 1 else families[0]
    )
    rows = union.subquery("flag_rows")
    return (
        select(
            *rows.c,
            contract.key,
            contract.vendor_id,
            contract.buyer_id,
            vendor.name.label("vendor"),
            buyer.name.label("buyer"),
            jurisdiction.code.label("country"),
            contract.title,
            contract.date_start,
            contract.date_end,
            contract.procurement_method,
            contract.procurement_method_details,
        )
        .select_from(rows)
        .join(tables.contracts, contract.id == rows.c.contract_id)
        .join(tables.vendors, vendor.id == contract.vendor_id)
        .join(tables.jurisdictions, jurisdiction.id == contract.jurisdiction_id)
        .outerjoin(tables.buyers, buyer.id == contract.buyer_id)
        .order_by(
            contract.date_start.is_(None),
            contract.date_start,
            contract.id,
            rows.c.code,
            rows.c.item_id,
        )
    )
