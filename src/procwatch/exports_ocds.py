"""Write the database's contracts as an OCDS 1.1 release package (valid against 1.1.5).

One release per contracting process: the current state of what procwatch knows of it, tagged
`compiled`. OCDS dates are full date-times: a year or month becomes its first day (a start)
or its last day (an end). A contract that did not come from OCDS gets an ocid made of the
--ocid-prefix and its key. Importing the package into a new database and exporting again gives
the same package.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, TextIO

from sqlalchemy import Connection, Select, select

from procwatch import tables
from procwatch.dates import PartialDate
from procwatch.errors import InvalidValueError, NotFoundError
from procwatch.money import from_minor_units
from procwatch.resolve import resolve_country, resolve_vendor

OCDS_VERSION = "1.1"
DEFAULT_OCID_PREFIX = "ocds-procwatch"
AWARD_STATUSES = frozenset(["pending", "active", "cancelled", "unsuccessful"])
CONTRACT_STATUSES = frozenset(["pending", "active", "cancelled", "terminated"])
STREAM_BATCH = 5_000
_NOT_ID = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class _Row:
    key: str
    ocid: str | None
    title: str
    description: str | None
    procurement_method: str | None
    procurement_method_details: str | None
    amount_minor: int | None
    currency: str | None
    amount_is_estimate: bool
    date_start: str | None
    date_end: str | None
    status: str | None
    vendor_id: int
    vendor_name: str
    vendor_country: str | None
    buyer_name: str | None
    buyer_scheme: str | None
    buyer_identifier: str | None
    country_name: str


def write_release_package(
    connection: Connection,
    handle: TextIO,
    *,
    vendor: str | None = None,
    country: str | None = None,
    ocid_prefix: str = DEFAULT_OCID_PREFIX,
    publisher: str = "procwatch",
    published: str | None = None,
    uri: str | None = None,
) -> int:
    """Write contracts (of a vendor, of a country) as a release package; return the releases."""
    import simplejson

    if not ocid_prefix.strip():
        raise InvalidValueError("the ocid prefix is empty: give one like ocds-213czf")
    date = _published(published)
    package_uri = uri or f"urn:procwatch:export:{date}"
    query = _query(connection, vendor, country)
    releases = _releases(connection, query, ocid_prefix.strip(), date)
    first = next(releases, None)
    if first is None:
        raise NotFoundError("no contracts to export" + _filters(vendor, country))
    header = simplejson.dumps(
        {
            "uri": package_uri,
            "version": OCDS_VERSION,
            "publishedDate": date,
            "publisher": {"name": publisher},
        },
        ensure_ascii=False,
        indent=2,
    )
    # The releases stream between the package's members: one release in memory at a time.
    handle.write(header[: header.rindex("}")].rstrip() + ',\n  "releases": [\n')
    count = 0
    for release in _chain(first, releases):
        if count:
            handle.write(",\n")
        handle.write(simplejson.dumps(release, ensure_ascii=False, use_decimal=True))
        count += 1
    handle.write("\n  ]\n}\n")
    return count


def _chain(first: dict[str, Any], rest: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    yield first
    yield from rest


def _filters(vendor: str | None, country: str | None) -> str:
    parts = [f"vendor {vendor!r}" if vendor else "", f"country {country!r}" if country else ""]
    named = " and ".join(part for part in parts if part)
    return f" for {named}" if named else ""


def _published(text: str | None) -> str:
    if text is None:
        return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise InvalidValueError(
            f"invalid published date {text!r}: expected ISO 8601, e.g. 2024-05-01T12:00:00Z"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.isoformat().replace("+00:00", "Z")


def _query(connection: Connection, vendor: str | None, country: str | None) -> Select[Any]:
    contract, vendors, buyer = tables.contracts.c, tables.vendors, tables.buyers
    jurisdiction = tables.jurisdictions
    vendor_country = jurisdiction.alias("vendor_country")
    own: tuple[str, ...] = ("key", "ocid", "title", "description", "procurement_method")
    own += ("procurement_method_details", "amount_minor", "currency", "amount_is_estimate")
    own += ("date_start", "date_end", "status")
    query: Select[Any] = (
        select(
            *(contract[name] for name in own),
            contract.vendor_id,
            vendors.c.name.label("vendor_name"),
            vendor_country.c.name.label("vendor_country"),
            buyer.c.name.label("buyer_name"),
            buyer.c.identifier_scheme.label("buyer_scheme"),
            buyer.c.identifier.label("buyer_identifier"),
            jurisdiction.c.name.label("country_name"),
        )
        .join(vendors, vendors.c.id == contract.vendor_id)
        .outerjoin(vendor_country, vendor_country.c.id == vendors.c.country_id)
        .outerjoin(buyer, buyer.c.id == contract.buyer_id)
        .join(jurisdiction, jurisdiction.c.id == contract.jurisdiction_id)
        # Processes with an ocid first, their contracts together; then the others one by one.
        .order_by(contract.ocid.is_(None), contract.ocid, contract.key)
    )
    if vendor is not None:
        query = query.where(contract.vendor_id == resolve_vendor(connection, vendor).id)
    if country is not None:
        codes = resolve_country(connection, country).related_codes
        query = query.where(jurisdiction.c.code.in_(codes))
    return query


def _releases(
    connection: Connection, query: Select[Any], prefix: str, date: str
) -> Iterator[dict[str, Any]]:
    identifiers: dict[int, list[tuple[str, str]]] = {}
    registered = tables.vendor_identifiers.c
    for vendor_id, scheme, identifier in connection.execute(
        select(registered.vendor_id, registered.scheme, registered.identifier).order_by(
            registered.scheme, registered.identifier
        )
    ):
        identifiers.setdefault(vendor_id, []).append((scheme, identifier))
    group: list[_Row] = []
    current: str | None = None
    rows = connection.execute(query.execution_options(yield_per=STREAM_BATCH))
    for values in rows:
        row = _Row(**values._mapping)
        ocid = row.ocid or f"{prefix}-{_NOT_ID.sub('-', row.key).strip('-')}"
        if group and ocid != current:
            yield _release(current or "", group, date, identifiers)
            group = []
        current = ocid
        group.append(row)
    if group:
        yield _release(current or "", group, date, identifiers)


def _release(
    ocid: str, rows: list[_Row], date: str, identifiers: dict[int, list[tuple[str, str]]]
) -> dict[str, Any]:
    parties: dict[str, dict[str, Any]] = {}
    supplier_ids: dict[int, str] = {}
    first = rows[0]
    buyer_id = None
    if first.buyer_name is not None:
        buyer_id = _party_id(first.buyer_scheme, first.buyer_identifier, "buyer-1")
        buyer: dict[str, Any] = {"name": first.buyer_name, "id": buyer_id}
        if first.buyer_identifier is not None:
            buyer["identifier"] = {"id": first.buyer_identifier}
            if first.buyer_scheme is not None:
                buyer["identifier"] = {"scheme": first.buyer_scheme, "id": first.buyer_identifier}
        buyer["address"] = {"countryName": first.country_name}
        buyer["roles"] = ["buyer"]
        parties[buyer_id] = buyer
    awards: list[dict[str, Any]] = []
    contracts: list[dict[str, Any]] = []
    tender: dict[str, Any] = {"id": ocid}
    for row in rows:
        if row.vendor_id not in supplier_ids:
            known = identifiers.get(row.vendor_id, [])
            fallback = f"supplier-{len(supplier_ids) + 1}"
            party_id = _party_id(*known[0], fallback) if known else fallback
            supplier_ids[row.vendor_id] = party_id
            party = parties.setdefault(party_id, {"name": row.vendor_name, "id": party_id})
            if known:
                party["identifier"] = {"scheme": known[0][0], "id": known[0][1]}
                if len(known) > 1:
                    party["additionalIdentifiers"] = [
                        {"scheme": scheme, "id": value} for scheme, value in known[1:]
                    ]
            if row.vendor_country is not None:
                party["address"] = {"countryName": row.vendor_country}
            party["roles"] = sorted({*party.get("roles", []), "supplier"})
        award_id = _award_id(ocid, row.key)
        value = _value(row)
        award: dict[str, Any] = {"id": award_id, "title": row.title}
        if row.description:
            award["description"] = row.description
        if row.status in AWARD_STATUSES and row.status not in CONTRACT_STATUSES:
            award["status"] = row.status
        if value is not None and not row.amount_is_estimate:
            award["value"] = value
        award["suppliers"] = [{"id": supplier_ids[row.vendor_id], "name": row.vendor_name}]
        awards.append(award)
        contract: dict[str, Any] = {"id": award_id, "awardID": award_id}
        if row.status in CONTRACT_STATUSES:
            contract["status"] = row.status
        if value is not None and not row.amount_is_estimate:
            contract["value"] = value
        period: dict[str, str] = {}
        if row.date_start:
            period["startDate"] = f"{PartialDate.parse(row.date_start).earliest()}T00:00:00Z"
        if row.date_end:
            period["endDate"] = f"{PartialDate.parse(row.date_end).latest()}T00:00:00Z"
        if period:
            contract["period"] = period
        contracts.append(contract)
        if row.procurement_method and "procurementMethod" not in tender:
            tender["procurementMethod"] = row.procurement_method
        if row.procurement_method_details and "procurementMethodDetails" not in tender:
            tender["procurementMethodDetails"] = row.procurement_method_details
        if value is not None and row.amount_is_estimate and len(rows) == 1:
            # OCDS has no estimated award value; the tender's value is the buyer's estimate.
            tender["value"] = value
    release: dict[str, Any] = {
        "ocid": ocid,
        "id": f"{ocid}-{date}",
        "date": date,
        "tag": ["compiled"],
        "initiationType": "tender",
        "parties": list(parties.values()),
    }
    if buyer_id is not None:
        release["buyer"] = {"id": buyer_id, "name": first.buyer_name}
    if len(tender) > 1:
        release["tender"] = tender
    release["awards"] = awards
    release["contracts"] = contracts
    return release


def _party_id(scheme: str | None, identifier: str | None, fallback: str) -> str:
    if identifier is None:
        return fallback
    return f"{scheme}-{identifier}" if scheme else identifier


def _award_id(ocid: str, key: str) -> str:
    # An imported contract's key is ocds:{ocid}:{award id}; its award keeps that id.
    prefix = f"ocds:{ocid}:"
    return key[len(prefix) :] if key.startswith(prefix) else key


def _value(row: _Row) -> dict[str, Any] | None:
    if row.amount_minor is None or row.currency is None:
        return None
    amount: Decimal = from_minor_units(row.amount_minor, row.currency)
    return {"amount": amount, "currency": row.currency}
