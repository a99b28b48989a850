"""Reviewers' decisions on screened names: this name is (not) that vendor, by whom, when, why.

A decision names the vendor by its key, not its row id, so that re-importing a list (which
keeps keys) leaves it standing; after `vendors merge` it follows the kept vendor through
the merge record, and after an undo it is the restored vendor's again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import select

from procwatch import tables
from procwatch.dates import utc_stamp
from procwatch.domain import Verdict
from procwatch.errors import InvalidValueError
from procwatch.resolve import name_key
from procwatch.vendors import vendor_by_ref

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from procwatch.store import Store


@dataclass(frozen=True)
class ReviewDecision:
    """A reviewer's judgement that a screened name is, or is not, a known vendor."""

    name: str
    vendor_key: str
    # The vendor the decision is about now (after merges), None when it is gone.
    vendor_id: int | None
    vendor: str | None
    verdict: Verdict
    note: str | None
    reviewer: str | None
    decided_at: str

    @property
    def text(self) -> str:
        """Say the decision as a report shows it: verdict, reviewer, day, note."""
        who = f" by {self.reviewer}" if self.reviewer else ""
        note = f": {self.note}" if self.note else ""
        return f"reviewed {self.verdict}{who} on {self.decided_at[:10]}{note}"


def decide(
    store: Store,
    name: str,
    vendor_ref: str,
    verdict: str,
    *,
    note: str | None = None,
    reviewer: str | None = None,
    decided_at: datetime | None = None,
) -> ReviewDecision:
    """Record (or replace) the decision on whether `name` is the vendor `vendor_ref`."""
    try:
        judged = Verdict(verdict.strip().casefold())
    except ValueError:
        choices = ", ".join(v.value for v in Verdict)
        raise InvalidValueError(f"verdict {verdict!r} is not one of {choices}") from None
    key = name_key(name)
    if not key:
        raise InvalidValueError(f"name {name!r} has no letters or digits to match on")
    vendor = vendor_by_ref(store.connection, vendor_ref)
    moment = (decided_at or datetime.now(UTC)).replace(microsecond=0)
    store.upsert(
        tables.review_decisions,
        {
            "name": " ".join(name.split()),
            "name_key": key,
            "vendor_key": vendor.key,
            "verdict": judged.value,
            "note": note or None,
            "reviewer": reviewer or None,
            "decided_at": moment,
        },
        key=("name_key", "vendor_key"),
    )
    return ReviewDecision(
        name=" ".join(name.split()),
        vendor_key=vendor.key,
        vendor_id=vendor.id,
        vendor=vendor.name,
        verdict=judged,
        note=note or None,
        reviewer=reviewer or None,
        decided_at=utc_stamp(moment),
    )


def list_decisions(connection: Connection) -> list[ReviewDecision]:
    """Return every decision, newest first, each with the vendor it is about now."""
    current = current_vendors(connection)
    review = tables.review_decisions.c
    rows = connection.execute(
        select(tables.review_decisions).order_by(review.decided_at.desc(), review.id.desc())
    )
    found = []
    for row in rows:
        vendor = current.get(row.vendor_key)
        found.append(
            ReviewDecision(
                name=row.name,
                vendor_key=row.vendor_key,
                vendor_id=vendor[0] if vendor else None,
                vendor=vendor[1] if vendor else None,
                verdict=Verdict(row.verdict),
                note=row.note,
                reviewer=row.reviewer,
                decided_at=utc_stamp(row.decided_at),
            )
        )
    return found


def decisions_by_pair(connection: Connection) -> dict[tuple[str, int], ReviewDecision]:
    """Return the decisions by (name key, current vendor id); decisions on gone vendors drop."""
    found: dict[tuple[str, int], ReviewDecision] = {}
    for decision in reversed(list_decisions(connection)):
        if decision.vendor_id is not None:
            # Newest last, so that of two decisions that a merge brought onto one vendor,
            # the newer stands.
            found[name_key(decision.name), decision.vendor_id] = decision
    return found


def current_vendors(connection: Connection) -> dict[str, tuple[int, str]]:
    """Return, for every vendor key decisions name, the vendor (id, name) it stands for now.

    A key of a vendor merged away stands for the vendor it was merged into (and that one's
    own merges, in turn); a merge undone no longer counts.
    """
    vendor, merge, review = tables.vendors.c, tables.vendor_merges.c, tables.review_decisions.c
    wanted = set(connection.scalars(select(review.vendor_key).distinct()))
    if not wanted:
        return {}
    live = {
        row.key: (row.id, row.name)
        for row in connection.execute(select(vendor.key, vendor.id, vendor.name))
    }
    merged_into = {
        row.merged_key: row.kept_vendor_id
        for row in connection.execute(
            select(merge.merged_key, merge.kept_vendor_id)
            .where(merge.undone_at.is_(None))
            .order_by(merge.id)
        )
    }
    by_id = {vendor_id: (vendor_id, name) for vendor_id, name in live.values()}
    found: dict[str, tuple[int, str]] = {}
    for key in wanted:
        if key in live:
            found[key] = live[key]
        elif key in merged_into and merged_into[key] in by_id:
            found[key] = by_id[merged_into[key]]
    return found
