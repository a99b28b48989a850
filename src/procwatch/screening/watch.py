"""The watchlist: vendors, or counterparties by name, whose changes are reported first.

A name that is a known vendor when added is kept with the vendor's key (which follows
merges, as reviews do); any other name is matched at each report as `screen` matches it,
so a counterparty watched before any list names it is found once one does.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import select

from procwatch import tables
from procwatch.dates import utc_stamp
from procwatch.errors import InvalidValueError, NotFoundError
from procwatch.matching import DEFAULT_MIN_SCORE
from procwatch.resolve import find_vendor, name_key
from procwatch.screening.reviews import current_vendors

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from procwatch.store import Store


@dataclass(frozen=True)
class WatchEntry:
    """A watched name, with the known vendors it stands for now."""

    name: str
    vendor_keys: list[str]
    vendors: list[str]
    added_at: str
    # How the vendors were found: the vendor named when added, or matched as screen does.
    how: str


def watch(store: Store, names: Iterable[str], *, added_at: datetime | None = None) -> int:
    """Add names to the watchlist (a name already on it stays as it is); return how many."""
    moment = (added_at or datetime.now(UTC)).replace(microsecond=0)
    added = 0
    for name in names:
        key = name_key(name)
        if not key:
            raise InvalidValueError(f"name {name!r} has no letters or digits to match on")
        if store.find(tables.watchlist, name_key=key) is not None:
            continue
        vendor = find_vendor(store.connection, name)
        vendor_key = None
        if vendor is not None:
            vendor_key = store.scalars(
                select(tables.vendors.c.key).where(tables.vendors.c.id == vendor.id)
            ).one()
        row = {"name": " ".join(name.split()), "name_key": key, "vendor_key": vendor_key}
        store.insert(tables.watchlist, row | {"added_at": moment})
        added += 1
    return added


def unwatch(store: Store, names: Iterable[str]) -> int:
    """Remove names from the watchlist; a name not on it is refused before any is removed."""
    keys = {name: name_key(name) for name in names}
    for name, key in keys.items():
        if store.find(tables.watchlist, name_key=key) is None:
            raise NotFoundError(f"{name!r} is not on the watchlist")
    return store.delete(tables.watchlist, tables.watchlist.c.name_key.in_(set(keys.values())))


def watchlist(connection: Connection, min_score: float = DEFAULT_MIN_SCORE) -> list[WatchEntry]:
    """Return the watched names, oldest first, each with the vendors it stands for now."""
    from procwatch.screening.counterparties import Counterparty
    from procwatch.screening.screen import Screener

    watched = tables.watchlist.c
    rows = connection.execute(select(tables.watchlist).order_by(watched.id)).all()
    current = current_vendors(connection, [row.vendor_key for row in rows if row.vendor_key])
    screener = Screener(connection) if any(row.vendor_key is None for row in rows) else None
    entries = []
    for row in rows:
        if row.vendor_key is not None:
            found = current.get(row.vendor_key)
            vendors = [(found.key, found.name)] if found else []
            how = "vendor"
        else:
            assert screener is not None
            party = Counterparty(row=0, name=row.name, country=None, identifiers=(), date=None)
            vendors = [
                (screener.keys[c.vendor_id], screener.vendors[c.vendor_id].names[0])
                for c in screener.candidates(party, min_score)
            ]
            how = "matched"
        entries.append(
            WatchEntry(
                name=row.name,
                vendor_keys=[key for key, _ in vendors],
                vendors=[name for _, name in vendors],
                added_at=utc_stamp(row.added_at),
                how=how,
            )
        )
    return entries


def watched_vendor_keys(connection: Connection) -> set[str]:
    """Return the keys of every vendor the watchlist stands for now."""
    return {key for entry in watchlist(connection) for key in entry.vendor_keys}
