"""A vendor's contracts and measures in date order across jurisdictions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from procwatch.dates import PartialDate
from procwatch.queries.citations import SourceRef
from procwatch.queries.contracts import FindingRecord
from procwatch.queries.vendors import vendor_profile
from procwatch.screening.origin import ReportOrigin, report_origin
from procwatch.screening.periods import Certainty, happened_by, sort_key

if TYPE_CHECKING:
    from sqlalchemy import Connection


@dataclass(frozen=True)
class TimelineEvent:
    """A contract or a measure placed on the time axis."""

    date: str | None
    date_end: str | None
    country: str
    country_name: str
    # "contract", or the measure's kind: "ban", "restriction", "investigation".
    kind: str
    title: str
    buyer: str | None
    amount: Decimal | None
    currency: str | None
    amount_is_estimate: bool
    key: str
    sources: list[SourceRef]
    # Documented problems with a contract (an audit's overpayment); none for measures.
    findings: list[FindingRecord] = field(default_factory=list)


@dataclass(frozen=True)
class Timeline:
    """Everything dated about one vendor by a date, oldest first (undated events last)."""

    vendor: str
    origin: ReportOrigin
    events: list[TimelineEvent]


def vendor_timeline(
    connection: Connection,
    name: str,
    *,
    as_of: str | None = None,
    generated: datetime | None = None,
) -> Timeline:
    """Return a vendor's contracts and measures that (possibly) began by a date, in order."""
    if as_of is not None:
        PartialDate.parse(as_of)  # a malformed date fails before anything is read
    profile = vendor_profile(connection, name)
    origin = report_origin(connection, as_of, generated=generated)
    events = [
        TimelineEvent(
            date=c.date,
            date_end=c.date_end,
            country=c.country,
            country_name=c.country_name,
            kind="contract",
            title=c.title,
            buyer=c.buyer,
            amount=c.amount,
            currency=c.currency,
            amount_is_estimate=c.amount_is_estimate,
            key=c.key,
            sources=c.sources,
            findings=c.findings,
        )
        for c in profile.contracts
    ]
    events += [
        TimelineEvent(
            date=m.date,
            date_end=m.date_end,
            country=m.country,
            country_name=m.country_name,
            kind=m.kind,
            title=m.scope or m.authority or m.kind,
            buyer=None,
            amount=None,
            currency=None,
            amount_is_estimate=False,
            key=m.key,
            sources=m.sources,
        )
        for measures in profile.measures_by_country.values()
        for m in measures
    ]
    until = PartialDate.parse(origin.as_of)
    events = [
        event
        for event in events
        if event.date is None
        or happened_by(PartialDate.parse(event.date), until) is not Certainty.NO
    ]
    # Contracts before measures of the same date: the question is what a buyer knew.
    events.sort(key=lambda e: (sort_key(e.date), e.kind != "contract", e.country, e.key))
    return Timeline(vendor=profile.name, origin=origin, events=events)
