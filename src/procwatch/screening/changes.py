"""What an import of a list changed: contracts that now (no longer) carry a measure's red flag,
and vendors whose level rose or fell; recorded with the import run, reported by `changes`.

A list import takes the state of the vendors whose measures it is about to add or change,
writes, then takes it again: the difference is what a reader of the database would see
differently. The state is `check`'s own, as of the day of the import.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING

from sqlalchemy import select

from procwatch import tables
from procwatch.dates import utc_stamp
from procwatch.domain import ChangeSubject
from procwatch.screening.flags import SIGNED_WHILE_BANNED, SIGNED_WHILE_INVESTIGATED
from procwatch.screening.periods import Certainty
from procwatch.screening.report import check_vendor, levels_from_measures
from procwatch.store import chunked

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from procwatch.store import Store

# The flags a list's measures set on contracts signed while they were in force.
MEASURE_FLAGS = (SIGNED_WHILE_BANNED, SIGNED_WHILE_INVESTIGATED)
# How a contract stands with one of them (16 characters at most: import_changes.before).
NOT_FLAGGED = "not flagged"
_FLAGGED = {Certainty.YES: "flagged", Certainty.POSSIBLY: "possibly flagged"}


@dataclass(frozen=True)
class VendorState:
    """What a reader sees of a vendor: its level, and its contracts' measure flags."""

    key: str
    level: str
    # (contract key, flag code) -> certainty
    flags: dict[tuple[str, str], str]


@dataclass(frozen=True)
class Change:
    """One thing an import changed, before and after."""

    subject: ChangeSubject
    subject_key: str
    vendor_key: str
    flag: str | None
    before: str
    after: str


@dataclass(frozen=True)
class ChangeRecord:
    """A recorded change, with its import and what a reader needs to find the subject."""

    run_id: int
    finished_at: str
    subject: str
    vendor: str | None
    vendor_key: str
    contract: str | None
    flag: str | None
    before: str
    after: str
    watched: bool


def vendor_states(
    connection: Connection, vendor_ids: Iterable[int], today: date | None = None
) -> dict[int, VendorState]:
    """Return the level and measure flags of each vendor, as `check` gives them today."""
    vendor = tables.vendors.c
    ids = sorted(set(vendor_ids))
    names = {
        row.id: (row.key, row.name)
        for chunk in chunked(ids)
        for row in connection.execute(
            select(vendor.id, vendor.key, vendor.name).where(vendor.id.in_(chunk))
        )
    }
    contract = tables.contracts.c
    with_contracts = {
        vendor_id
        for chunk in chunked(ids)
        for vendor_id in connection.scalars(
            select(contract.vendor_id).where(contract.vendor_id.in_(chunk)).distinct()
        )
    }
    # Without a contract a vendor carries no flag: its level is its measures' alone.
    levels = levels_from_measures(
        connection, [v for v in ids if v in names and v not in with_contracts], today
    )
    states = {
        vendor_id: VendorState(key=names[vendor_id][0], level=str(level), flags={})
        for vendor_id, level in levels.items()
    }
    for vendor_id in sorted(with_contracts & set(names)):
        key, name = names[vendor_id]
        report = check_vendor(connection, name, vendor_id=vendor_id, today=today, covered=False)
        states[vendor_id] = VendorState(
            key=key,
            level=str(report.level),
            flags={
                (flag.contract, flag.code): _FLAGGED[flag.certainty]
                for flag in report.flags
                if flag.code in MEASURE_FLAGS
            },
        )
    return states


def compare(before: dict[int, VendorState], after: dict[int, VendorState]) -> list[Change]:
    """Return what differs between two states of the same vendors: flags, then levels."""
    changes = []
    for vendor_id in sorted(after):
        new = after[vendor_id]
        old = before.get(vendor_id, VendorState(new.key, "none", {}))
        for contract, code in sorted(set(old.flags) | set(new.flags)):
            was = old.flags.get((contract, code), NOT_FLAGGED)
            now = new.flags.get((contract, code), NOT_FLAGGED)
            if was != now:
                changes.append(Change(ChangeSubject.CONTRACT, contract, new.key, code, was, now))
        if old.level != new.level:
            changes.append(
                Change(ChangeSubject.VENDOR, new.key, new.key, None, old.level, new.level)
            )
    return changes


def record_changes(store: Store, run_id: int, changes: Sequence[Change]) -> None:
    """Store an import's changes with its run."""
    store.insert_many(
        tables.import_changes,
        [
            {
                "run_id": run_id,
                "subject": change.subject.value,
                "subject_key": change.subject_key,
                "vendor_key": change.vendor_key,
                "flag": change.flag,
                "before": change.before,
                "after": change.after,
            }
            for change in changes
        ],
    )


def list_changes(
    connection: Connection,
    *,
    run_id: int | None = None,
    since: date | None = None,
    watched: Callable[[], set[str]] | None = None,
    watched_only: bool = False,
) -> list[ChangeRecord]:
    """Return recorded changes: of one import, of imports since a date, or of the last one.

    `watched` gives the vendor keys on the watchlist: their changes come first, marked. It
    is called only when there are changes: matching the watched names reads every vendor.
    """
    run, change = tables.import_runs.c, tables.import_changes.c
    vendor, contract = tables.vendors.c, tables.contracts.c
    query = (
        select(
            change.run_id,
            run.finished_at,
            change.subject,
            change.subject_key,
            change.vendor_key,
            change.flag,
            change.before,
            change.after,
            vendor.name.label("vendor"),
            contract.title.label("contract"),
        )
        .join(tables.import_runs, run.id == change.run_id)
        .outerjoin(tables.vendors, vendor.key == change.vendor_key)
        .outerjoin(
            tables.contracts,
            (contract.key == change.subject_key) & (change.subject == ChangeSubject.CONTRACT.value),
        )
    )
    if run_id is not None:
        query = query.where(change.run_id == run_id)
    elif since is not None:
        query = query.where(run.finished_at >= datetime.combine(since, time(), UTC))
    else:
        last = connection.scalar(select(run.id).order_by(run.id.desc()).limit(1))
        query = query.where(change.run_id == (last or 0))
    rows = connection.execute(query.order_by(change.run_id, change.id)).all()
    keys = watched() if watched is not None and rows else set()
    found = [
        ChangeRecord(
            run_id=row.run_id,
            finished_at=utc_stamp(row.finished_at),
            subject=row.subject,
            vendor=row.vendor,
            vendor_key=row.vendor_key,
            contract=row.contract,
            flag=row.flag,
            before=row.before,
            after=row.after,
            watched=row.vendor_key in keys,
        )
        for row in rows
        if row.vendor_key in keys or not watched_only
    ]
    return sorted(found, key=lambda record: not record.watched)
