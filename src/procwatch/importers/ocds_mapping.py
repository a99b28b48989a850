"""Map a compiled OCDS release to procwatch facts: the buyer, and one contract per supplier."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from procwatch.dates import PartialDate
from procwatch.domain import ProcurementMethod
from procwatch.domain.records import Warn
from procwatch.errors import InvalidInputError
from procwatch.money import check_currency, parse_amount, to_minor_units

KEY_LENGTH = 300
METHODS = frozenset(method.value for method in ProcurementMethod)


@dataclass(frozen=True)
class Party:
    """An organization as a release names it: name, registry identifiers, country."""

    name: str
    identifiers: tuple[tuple[str, str], ...] = ()
    # An identifier the publisher gave without its scheme (kept for buyers only).
    bare_identifier: str | None = None
    country: str | None = None
    ref: str | None = None


@dataclass(frozen=True)
class ContractFacts:
    """One contract row: an award (or a contract of it) with one of its suppliers.

    A patch (supplier None) only updates a row that an earlier import created.
    """

    key: str
    supplier: Party | None
    title: str | None
    description: str | None
    procurement_method: str | None
    procurement_method_details: str | None
    amount: Decimal | None
    currency: str | None
    date_start: str | None
    date_end: str | None
    status: str | None
    amount_is_estimate: bool
    # The ids of the awards and contracts it comes from, to cite the releases that hold them.
    ids: frozenset[str]


@dataclass
class ProcessFacts:
    """What one contracting process says: its buyer, its country, its contracts."""

    ocid: str
    buyer: Party | None
    country: str | None
    contracts: list[ContractFacts] = field(default_factory=list)


def map_process(compiled: dict[str, Any], warn: Warn) -> ProcessFacts:
    """Return the facts of a compiled release; raise InvalidInputError on impossible values."""
    ocid = str(compiled["ocid"])
    parties = {
        str(party["id"]): party
        for party in _objects(compiled.get("parties"))
        if party.get("id") is not None
    }
    tender = _object(compiled.get("tender"))
    buyer_org = _buyer(compiled, tender, parties)
    buyer = _party(buyer_org, parties) if buyer_org else None
    process = ProcessFacts(ocid=ocid, buyer=buyer, country=_process_country(compiled, parties))
    method, details = _method(tender, warn)
    common: dict[str, Any] = {
        "warn": warn,
        "procurement_method": method,
        "procurement_method_details": details,
        "tender_title": _text(tender.get("title")),
        "tender_description": _text(tender.get("description")),
    }
    awards = _objects(compiled.get("awards"))
    by_award: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for contract in _objects(compiled.get("contracts")):
        by_award[_text(contract.get("awardID")) or ""].append(contract)
    award_ids: set[str] = set()
    for award in awards:
        award_id = _text(award.get("id"))
        if award_id is None:
            raise InvalidInputError("an award has no id")
        award_ids.add(award_id)
        # Merging appends suppliers that have no id, so the same one may appear twice.
        suppliers = list(
            dict.fromkeys(
                party
                for party in (_party(ref, parties) for ref in _objects(award.get("suppliers")))
                if party is not None
            )
        )
        if not suppliers:
            warn("award without a named supplier: no contract imported")
            continue
        linked: list[dict[str, Any] | None] = list(by_award.get(award_id, [])) or [None]
        for signed in linked:
            for supplier in suppliers:
                key = _contract_key(ocid, award_id, signed, len(linked), supplier, suppliers)
                process.contracts.append(_facts(key, supplier, award, signed, common))
    for award_id, orphans in by_award.items():
        if award_id in award_ids:
            continue
        # A contract whose award came in an earlier import: it updates that row.
        for contract in orphans:
            named: list[Party | None] = [
                party
                for party in (_party(ref, parties) for ref in _objects(contract.get("suppliers")))
                if party is not None
            ]
            contract_id = _text(contract.get("id")) or ""
            key = _bounded(
                f"ocds:{ocid}:{award_id or contract_id}"
                + (f":{contract_id}" if len(orphans) > 1 else "")
            )
            for named_supplier in named or [None]:
                process.contracts.append(_facts(key, named_supplier, {}, contract, common))
    _estimate_from_tender(process, tender, warn)
    return process


def _estimate_from_tender(process: ProcessFacts, tender: dict[str, Any], warn: Warn) -> None:
    # The tender's value is the buyer's estimate of the whole procurement: it stands for the
    # contract's value only where the process has a single contract and no award value.
    if len(process.contracts) != 1:
        return
    only = process.contracts[0]
    if only.amount is not None or only.supplier is None:
        return
    amount, currency = _value(_object(tender.get("value")), warn)
    if amount is not None:
        process.contracts[0] = replace(
            process.contracts[0], amount=amount, currency=currency, amount_is_estimate=True
        )


def _contract_key(
    ocid: str,
    award_id: str,
    contract: dict[str, Any] | None,
    contract_count: int,
    supplier: Party,
    suppliers: list[Party],
) -> str:
    key = f"ocds:{ocid}:{award_id}"
    if contract_count > 1 and contract is not None:
        key += f":{_text(contract.get('id'))}"
    if len(suppliers) > 1:
        key += f":{supplier.ref or suppliers.index(supplier) + 1}"
    return _bounded(key)


def _bounded(key: str) -> str:
    if len(key) <= KEY_LENGTH:
        return key
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    return f"{key[: KEY_LENGTH - 17]}~{digest}"


def _facts(
    key: str,
    supplier: Party | None,
    award: dict[str, Any],
    contract: dict[str, Any] | None,
    common: dict[str, Any],
) -> ContractFacts:
    contract = contract or {}
    award_period = _object(award.get("contractPeriod"))
    period = _object(contract.get("period"))
    warn: Warn = common["warn"]
    amount, currency = _value(_object(contract.get("value")), warn)
    if amount is None:
        amount, currency = _value(_object(award.get("value")), warn)
    ids = {_text(award.get("id")), _text(contract.get("id")), _text(contract.get("awardID"))}
    return ContractFacts(
        key=key,
        supplier=supplier,
        title=_text(award.get("title")) or _text(contract.get("title")) or common["tender_title"],
        description=_text(award.get("description"))
        or _text(contract.get("description"))
        or common["tender_description"],
        procurement_method=common["procurement_method"],
        procurement_method_details=common["procurement_method_details"],
        amount=amount,
        currency=currency,
        date_start=_date(period.get("startDate"))
        or _date(contract.get("dateSigned"))
        or _date(award_period.get("startDate"))
        or _date(award.get("date")),
        date_end=_date(period.get("endDate")) or _date(award_period.get("endDate")),
        status=_text(contract.get("status")) or _text(award.get("status")),
        amount_is_estimate=False,
        ids=frozenset(item for item in ids if item),
    )


def _buyer(
    compiled: dict[str, Any], tender: dict[str, Any], parties: dict[str, dict[str, Any]]
) -> dict[str, Any] | None:
    # The buyer pays; where a publisher names only the procuring entity, that is the buyer.
    for candidate in (compiled.get("buyer"), _with_role(parties, "buyer")):
        if isinstance(candidate, dict) and candidate:
            return candidate
    for candidate in (tender.get("procuringEntity"), _with_role(parties, "procuringEntity")):
        if isinstance(candidate, dict) and candidate:
            return candidate
    return None


def _with_role(parties: dict[str, dict[str, Any]], role: str) -> dict[str, Any] | None:
    for party in parties.values():
        roles = party.get("roles")
        if isinstance(roles, list) and role in roles:
            return party
    return None


def _process_country(compiled: dict[str, Any], parties: dict[str, dict[str, Any]]) -> str | None:
    tender = _object(compiled.get("tender"))
    candidates = [
        compiled.get("buyer"),
        _with_role(parties, "buyer"),
        tender.get("procuringEntity"),
        _with_role(parties, "procuringEntity"),
    ]
    for candidate in candidates:
        if not isinstance(candidate, dict):
            continue
        party = parties.get(str(candidate.get("id")), {}) if candidate.get("id") else {}
        for organization in (party, candidate):
            country = _text(_object(organization.get("address")).get("countryName"))
            if country:
                return country
    return None


def _party(reference: dict[str, Any], parties: dict[str, dict[str, Any]]) -> Party | None:
    """Return the organization a reference names, completed from the parties section."""
    ref = _text(reference.get("id"))
    organization = dict(reference)
    for member, content in (parties.get(ref, {}) if ref else {}).items():
        if content not in (None, "", [], {}):
            organization[member] = content
    identifier = _object(organization.get("identifier"))
    name = _text(organization.get("name")) or _text(identifier.get("legalName"))
    if name is None:
        return None
    identifiers: list[tuple[str, str]] = []
    bare: str | None = None
    for item in [identifier, *_objects(organization.get("additionalIdentifiers"))]:
        scheme, text = _text(item.get("scheme")), _text(item.get("id"))
        if scheme and text and (scheme, text) not in identifiers:
            identifiers.append((scheme, text))
        elif text and bare is None:
            bare = text
    return Party(
        name=name,
        identifiers=tuple(identifiers),
        bare_identifier=None if identifiers else bare,
        country=_text(_object(organization.get("address")).get("countryName")),
        ref=ref,
    )


def _method(tender: dict[str, Any], warn: Warn) -> tuple[str | None, str | None]:
    method = _text(tender.get("procurementMethod"))
    details = _text(tender.get("procurementMethodDetails"))
    if method is None or method in METHODS:
        return method, details
    # Some publishers put their local method name where the codelist value belongs.
    warn("procurementMethod outside the OCDS codelist: kept as the local method name")
    return None, details or method


def _value(value: dict[str, Any], warn: Warn) -> tuple[Decimal | None, str | None]:
    raw = value.get("amount")
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, None
    if isinstance(raw, bool) or not isinstance(raw, (int, Decimal, str)):
        raise InvalidInputError(f"invalid amount {raw!r}: expected a number")
    amount = parse_amount(raw)
    currency_text = _text(value.get("currency"))
    if currency_text is None:
        warn("amount without a currency: not stored")
        return None, None
    currency = check_currency(currency_text)
    to_minor_units(amount, currency)
    return amount, currency


def _date(value: Any) -> str | None:
    text = _text(value)
    return str(PartialDate.parse(text)) if text else None


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    text = str(value).strip()
    return text or None


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _objects(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []
