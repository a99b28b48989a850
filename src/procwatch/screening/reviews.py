"""Reviewers' decisions on screened names: this name is (not) that vendor, by whom, when, why.

A decision names the vendor by its key, not its row id, so that re-importing a list (which
keeps keys) leaves it standing; after `vendors merge` it follows the kept vendor through
the merge record, and after an undo it is the restored vendor's again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select

from procwatch import tables
from procwatch.dates import utc_stamp
from procwatch.domain import Verdict
from procwatch.errors import InvalidInputError, InvalidValueError, ProcwatchError
from procwatch.resolve import name_key
from procwatch.store import chunked
from procwatch.vendors import vendor_by_ref

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from procwatch.store import Store


@dataclass(frozen=True)
class CurrentVendor:
    """The vendor a stored vendor key stands for now."""

    id: int
    key: str
    name: str


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


# The columns of a CSV of decisions (screen decide --from FILE), by header name.
DECISION_COLUMNS = ("name", "vendor", "verdict", "note", "reviewer")


def decide_from_file(store: Store, path: Path, *, reviewer: str | None = None) -> int:
    """Record every decision of a CSV (name, vendor, verdict[, note, reviewer]); return how many.

    All or nothing: a row with an unknown vendor or verdict refuses the file, naming its row.
    `reviewer` stands for rows that name none.
    """
    import csv

    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except FileNotFoundError:
        raise InvalidInputError(f"cannot read {path}: no such file") from None
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise InvalidInputError(f"cannot read {path}: {error}") from None
    header = {(name or "").strip().casefold(): name for name in (rows[0] if rows else {})}
    missing = [column for column in DECISION_COLUMNS[:3] if column not in header]
    if missing:
        raise InvalidInputError(
            f"{path.name}: expected columns {', '.join(DECISION_COLUMNS)}; "
            f"missing {', '.join(missing)}"
        )
    for number, row in enumerate(rows, start=2):
        cell = {
            column: (row.get(header.get(column, "")) or "").strip() for column in DECISION_COLUMNS
        }
        try:
            decide(
                store,
                cell["name"],
                cell["vendor"],
                cell["verdict"],
                note=cell["note"] or None,
                reviewer=cell["reviewer"] or reviewer,
            )
        except ProcwatchError as error:
            raise type(error)(f"{path.name}, row {number}: {error}") from None
    return len(rows)


def list_decisions(connection: Connection) -> list[ReviewDecision]:
    """Return every decision, newest first, each with the vendor it is about now."""
    review = tables.review_decisions.c
    current = current_vendors(connection, connection.scalars(select(review.vendor_key)))
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
                vendor_id=vendor.id if vendor else None,
                vendor=vendor.name if vendor else None,
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


def current_vendors(connection: Connection, keys: Iterable[str]) -> dict[str, CurrentVendor]:
    """Return, for each of these vendor keys, the vendor it stands for now.

    A key of a vendor merged away stands for the vendor it was merged into; a merge undone
    no longer counts. Only the keys asked about are read: `check` asks on every run.
    """
    vendor, merge = tables.vendors.c, tables.vendor_merges.c
    wanted = sorted(set(keys))
    columns = select(vendor.key, vendor.id, vendor.name)
    found = {
        row.key: CurrentVendor(row.id, row.key, row.name)
        for chunk in chunked(wanted)
        for row in connection.execute(columns.where(vendor.key.in_(chunk)))
    }
    gone = [key for key in wanted if key not in found]
    merged_into = {
        row.merged_key: row.kept_vendor_id
        for chunk in chunked(gone)
        for row in connection.execute(
            select(merge.merged_key, merge.kept_vendor_id)
            .where(merge.merged_key.in_(chunk), merge.undone_at.is_(None))
            .order_by(merge.id)
        )
    }
    kept = sorted(set(merged_into.values()))
    by_id = {
        row.id: CurrentVendor(row.id, row.key, row.name)
        for chunk in chunked(kept)
        for row in connection.execute(columns.where(vendor.id.in_(chunk)))
    }
    for key, kept_id in merged_into.items():
        if kept_id in by_id:
            found[key] = by_id[kept_id]
    return found
