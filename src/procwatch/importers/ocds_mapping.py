"""Map a compiled OCDS release to procwatch facts: the buyer, and one contract per supplier.

Each supplier counts once per award: the entries that name one party (by id, identifier or
normalised name) are one supplier. An award with several different suppliers (a consortium)
gives one row per supplier, but only the first supplier's row carries the award's value; the
others say whose row that is (`shares_value_of`), so no total counts the value twice.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any, Protocol

from procwatch.dates import PartialDate
from procwatch.domain import ProcurementMethod
from procwatch.domain.records import Warn as _Note
from procwatch.errors import InvalidInputError
from procwatch.importers.cleaning import clean_name
from procwatch.money import (
    FRACTION_DIGITS,
    check_currency,
    currency_exponent,
    parse_amount,
    storable,
)
from procwatch.resolve import key_matches, name_key

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
    # A consortium member's row: the key of the row that carries the award's value.
    shares_value_of: str | None = None


@dataclass
class ProcessFacts:
    """What one contracting process says: its buyer, its country, its contracts."""

    ocid: str
    buyer: Party | None
    country: str | None
    contracts: list[ContractFacts] = field(default_factory=list)


class WarnAt(Protocol):
    """Count a warning, with where it was met (ImportSummary.warn)."""

    def __call__(self, message: str, where: str | None = None) -> None: ...


def map_process(compiled: dict[str, Any], warn: WarnAt) -> ProcessFacts:
    """Return the facts of a compiled release; raise InvalidInputError on impossible values.

    Every value that cannot be used is counted in `warn` with the process's ocid.
    """
    ocid = str(compiled["ocid"])

    def note(message: str) -> None:
        warn(message, f"ocid {ocid}")

    return _map(ocid, compiled, note)


def _map(ocid: str, compiled: dict[str, Any], warn: _Note) -> ProcessFacts:
    parties = {
        str(party["id"]): party
        for party in _objects(compiled.get("parties"))
        if party.get("id") is not None
    }
    tender = _object(compiled.get("tender"))
    buyer_org = _buyer(compiled, tender, parties)
    # The process's country is the buyer's, looked for in more places than its own address.
    country = _clean(_process_country(compiled, parties), warn, "a country name")
    buyer = (
        _party(buyer_org, parties, warn, country=country, what="buyer name") if buyer_org else None
    )
    process = ProcessFacts(ocid=ocid, buyer=buyer, country=country)
    method, details = _method(tender, warn)
    common: dict[str, Any] = {
        "warn": warn,
        "procurement_method": method,
        "procurement_method_details": details,
        "tender_title": _clean(_text(tender.get("title")), warn, "a title"),
        "tender_description": _clean(_text(tender.get("description")), warn, "a description"),
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
        suppliers = _distinct(
            [
                party
                for party in (
                    _party(ref, parties, warn) for ref in _objects(award.get("suppliers"))
                )
                if party is not None
            ]
        )
        if not suppliers:
            warn("award without a named supplier: no contract imported")
            continue
        linked: list[dict[str, Any] | None] = list(by_award.get(award_id, [])) or [None]
        for signed in linked:
            lead: ContractFacts | None = None
            for supplier in suppliers:
                key = _contract_key(ocid, award_id, signed, len(linked), supplier, suppliers)
                facts = _facts(key, supplier, award, signed, common)
                if lead is None:
                    lead = facts
                else:
                    facts = replace(facts, amount=None, currency=None, shares_value_of=lead.key)
                process.contracts.append(facts)
    for award_id, orphans in by_award.items():
        if award_id in award_ids:
            continue
        # A contract whose award came in an earlier import: it updates that row.
        for contract in orphans:
            named: list[Party | None] = [
                *_distinct(
                    [
                        party
                        for party in (
                            _party(ref, parties, warn)
                            for ref in _objects(contract.get("suppliers"))
                        )
                        if party is not None
                    ]
                )
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


def _estimate_from_tender(process: ProcessFacts, tender: dict[str, Any], warn: _Note) -> None:
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


def _distinct(suppliers: list[Party]) -> list[Party]:
    """Return one Party per supplier, in order: entries naming one party are combined.

    Merging appends every supplier entry that has no id, and publishers name one company with
    its identifier in one release and without it in the next: each such pair is one supplier,
    or the award's value would be counted once for each name.
    """
    distinct: list[Party] = []
    for party in suppliers:
        for index, known in enumerate(distinct):
            if _same_party(known, party):
                distinct[index] = _combined(known, party)
                break
        else:
            distinct.append(party)
    return distinct


def _same_party(first: Party, second: Party) -> bool:
    if first.ref is not None and first.ref == second.ref:
        return True
    if set(first.identifiers) & set(second.identifiers):
        return True
    # Two identifiers of one scheme that differ are two parties, whatever their names say.
    schemes = dict(first.identifiers)
    if any(schemes.get(scheme, text) != text for scheme, text in second.identifiers):
        return False
    return key_matches(name_key(first.name), name_key(second.name))


def _combined(first: Party, second: Party) -> Party:
    identifiers = tuple(dict.fromkeys([*first.identifiers, *second.identifiers]))
    named = first if first.identifiers or not second.identifiers else second
    return Party(
        name=named.name,
        identifiers=identifiers,
        bare_identifier=None if identifiers else first.bare_identifier or second.bare_identifier,
        country=first.country or second.country,
        ref=first.ref or second.ref,
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
    warn: _Note = common["warn"]
    amount, currency = _value(_object(contract.get("value")), warn)
    if amount is None:
        amount, currency = _value(_object(award.get("value")), warn)
    ids = {_text(award.get("id")), _text(contract.get("id")), _text(contract.get("awardID"))}
    title = _text(award.get("title")) or _text(contract.get("title"))
    description = _text(award.get("description")) or _text(contract.get("description"))
    return ContractFacts(
        key=key,
        supplier=supplier,
        title=_clean(title, warn, "a title") or common["tender_title"],
        description=_clean(description, warn, "a description") or common["tender_description"],
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


def _party(
    reference: dict[str, Any],
    parties: dict[str, dict[str, Any]],
    warn: _Note,
    *,
    country: str | None = None,
    what: str = "vendor name",
) -> Party | None:
    """Return the organization a reference names, completed from the parties section."""
    ref = _text(reference.get("id"))
    organization = dict(reference)
    for member, content in (parties.get(ref, {}) if ref else {}).items():
        if content not in (None, "", [], {}):
            organization[member] = content
    identifier = _object(organization.get("identifier"))
    name = _clean(_text(organization.get("name")) or _text(identifier.get("legalName")), warn, what)
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
        country=country
        or _clean(
            _text(_object(organization.get("address")).get("countryName")), warn, "a country name"
        ),
        ref=ref,
    )


def _method(tender: dict[str, Any], warn: _Note) -> tuple[str | None, str | None]:
    method = _text(tender.get("procurementMethod"))
    details = _text(tender.get("procurementMethodDetails"))
    if method is None or method in METHODS:
        return method, details
    # Some publishers put their local method name where the codelist value belongs.
    warn("procurementMethod outside the OCDS codelist: kept as the local method name")
    return None, details or method


def _value(value: dict[str, Any], warn: _Note) -> tuple[Decimal | None, str | None]:
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
    try:
        currency = check_currency(currency_text)
    except InvalidInputError:
        warn("amount with an unknown currency code: not stored")
        return None, None
    if not storable(amount, currency):
        # Beyond a billionth of a cent is a float's noise (0.1 + 0.2), not a price.
        decimals = currency_exponent(currency) + FRACTION_DIGITS
        warn(f"amount with more than {decimals} decimals: rounded to {decimals}")
        amount = amount.quantize(Decimal(1).scaleb(-decimals))
    return amount, currency


def _date(value: Any) -> str | None:
    text = _text(value)
    return str(PartialDate.parse(text)) if text else None


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    text = str(value).strip()
    return text or None


# C0 and C1 control characters but TAB, LF and CR; the C1 ones are what a cp1252 file read
# as Latin-1 leaves where its quotes and dashes were.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_C1 = re.compile("[\x80-\x9f]")
# A '?' between two letters ("M?XICO") stands for a letter lost to a wrong encoding.
_LOST_LETTER = re.compile(r"(?<=[^\W\d_])\?(?=[^\W\d_])")
_NAMES = ("buyer name", "vendor name")


def _clean(text: str | None, warn: _Note, what: str) -> str | None:
    """Return published text without control characters, counting every sign of mojibake.

    Names go through the one name cleaner (importers.cleaning.clean_name), which removes
    zero-width and bidirectional marks too; titles, descriptions and country names keep
    their line breaks and tabs.
    """
    if text is None:
        return None
    if text.isprintable() and "?" not in text and "\ufffd" not in text:
        # Most text: nothing to look for (isprintable is one C pass; controls fail it).
        return text
    if what in _NAMES:
        text = clean_name(text, warn, what) or None
    elif _CONTROL.search(text):
        if _C1.search(text):
            warn(
                f"{what} with C1 control characters (a cp1252 file read as Latin-1? "
                "try `encoding` cp1252): they are removed"
            )
        else:
            warn(f"{what} with control characters: they are removed")
        text = _CONTROL.sub("", text).strip() or None
    if text is None:
        return None
    if "\ufffd" in text:
        warn(f"{what} with U+FFFD (a character lost before publication): kept as published")
    if _LOST_LETTER.search(text):
        warn(f"{what} with '?' in place of a letter (like 'M?XICO'): kept as published")
    return text


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _objects(value: Any) -> list[dict[str, Any]]:
    # Some publishers (Taiwan) give one award, contract or supplier as an object where the
    # standard has a list: it is that list's only item.
    if isinstance(value, dict):
        return [value]
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []
