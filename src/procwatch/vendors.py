"""Likely duplicate vendors, and merging two vendors into one in a way that can be undone."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Table, select

from procwatch import tables
from procwatch.errors import InvalidInputError, NotFoundError
from procwatch.matching import DEFAULT_MIN_SCORE, VendorNames, find_duplicates
from procwatch.resolve import name_key, resolve_vendor
from procwatch.store import AnyRow, Store, chunked

# What a merge moves from the merged vendor to the kept one, by detail name. Aliases move
# too, but one by one (a name the kept vendor has already is dropped, and recorded).
MOVED: dict[str, Table] = {
    "contracts": tables.contracts,
    "measures": tables.measures,
    "identifiers": tables.vendor_identifiers,
    "citations": tables.citations,
}


@dataclass(frozen=True)
class DuplicatePair:
    """Two vendors whose names or aliases are alike, with how alike (0-100) and which names."""

    score: float
    first_id: int
    first: str
    first_country: str | None
    first_kind: str
    second_id: int
    second: str
    second_country: str | None
    second_kind: str
    matched: str
    # The reasons for the score: shared words, and the qualifiers that lowered it.
    why: str


@dataclass(frozen=True)
class MergeRecord:
    """A recorded merge: which vendor was kept, which merged into it, and what moved."""

    id: int
    kept_id: int
    kept: str
    merged_id: int
    merged: str
    merged_key: str
    moved: dict[str, int]
    merged_at: str
    undone_at: str | None


def vendor_names(connection: Connection) -> dict[int, VendorNames]:
    """Return every vendor as matching sees it (names, aliases, country, ids), by id."""
    names: dict[int, list[str]] = {}
    countries: dict[int, str | None] = {}
    kinds: dict[int, str] = {}
    vendor, alias, registered = (
        tables.vendors.c,
        tables.vendor_aliases.c,
        tables.vendor_identifiers.c,
    )
    for row in connection.execute(
        select(vendor.id, vendor.name, vendor.kind, tables.jurisdictions.c.code)
        .outerjoin(tables.jurisdictions, vendor.country_id == tables.jurisdictions.c.id)
        .order_by(vendor.id)
    ):
        names[row.id] = [row.name]
        countries[row.id] = row.code
        kinds[row.id] = row.kind
    for vendor_id, name in connection.execute(
        select(alias.vendor_id, alias.alias).order_by(alias.id)
    ):
        names[vendor_id].append(name)
    identifiers: dict[int, set[tuple[str, str]]] = {}
    for vendor_id, scheme, identifier in connection.execute(
        select(registered.vendor_id, registered.scheme, registered.identifier)
    ):
        identifiers.setdefault(vendor_id, set()).add((scheme, identifier))
    return {
        vendor_id: VendorNames(
            names=tuple(dict.fromkeys(vendor_names)),
            country=countries[vendor_id],
            identifiers=frozenset(identifiers.get(vendor_id, ())),
            kind=kinds[vendor_id],
        )
        for vendor_id, vendor_names in names.items()
    }


def likely_duplicates(
    connection: Connection, min_score: float = DEFAULT_MIN_SCORE, limit: int | None = None
) -> list[DuplicatePair]:
    """Return pairs of vendors with alike names or aliases, most alike first; merge none."""
    vendors = vendor_names(connection)
    found = find_duplicates(vendors, min_score)
    pairs = [
        DuplicatePair(
            score=score.score,
            first_id=a,
            first=vendors[a].names[0],
            first_country=vendors[a].country,
            second_id=b,
            second=vendors[b].names[0],
            second_country=vendors[b].country,
            matched=f"{score.first} ~ {score.second}",
            why=score.why,
            first_kind=vendors[a].kind,
            second_kind=vendors[b].kind,
        )
        for a, b, score in found
    ]
    return pairs if limit is None else pairs[:limit]


def vendor_by_ref(connection: Connection, ref: str) -> AnyRow:
    """Return the vendor with this id (digits) or name; a name shared by several is refused."""
    vendors = tables.vendors
    text = ref.strip().removeprefix("#")
    if text.isdigit():
        found = connection.execute(select(vendors).where(vendors.c.id == int(text))).first()
        if found is None:
            raise NotFoundError(f"no vendor with id {text}")
        return found
    key = name_key(ref)
    alias = tables.vendor_aliases.c
    ids = sorted(
        set(connection.scalars(select(vendors.c.id).where(vendors.c.name_key == key)))
        | set(connection.scalars(select(alias.vendor_id).where(alias.alias_key == key)))
    )
    if len(ids) > 1:
        listed = ", ".join(str(vendor_id) for vendor_id in ids)
        raise InvalidInputError(f"{ref!r} names {len(ids)} vendors (ids {listed}); give an id")
    vendor_id = resolve_vendor(connection, ref).id
    return connection.execute(select(vendors).where(vendors.c.id == vendor_id)).one()


def merge_vendors(store: Store, keep_ref: str, other_ref: str) -> MergeRecord:
    """Move everything of OTHER to KEEP (its name becomes an alias), record it, delete OTHER."""
    keep = vendor_by_ref(store.connection, keep_ref)
    other = vendor_by_ref(store.connection, other_ref)
    if keep.id == other.id:
        raise InvalidInputError(f"{keep_ref!r} and {other_ref!r} are the same vendor ({keep.name})")
    _refuse_holding(store, other)
    detail: dict[str, Any] = {
        "vendor": {key: other._mapping[key] for key in ("id", "key", "name", "country_id")}
    }
    for name, table in MOVED.items():
        ids = list(store.scalars(select(table.c.id).where(table.c.vendor_id == other.id)))
        detail[name] = ids
        store.move(table, ids, "vendor_id", keep.id)
    detail.update(_move_aliases(store, keep, other))
    detail["country_set"] = keep.country_id is None and other.country_id is not None
    if detail["country_set"]:
        store.update(tables.vendors, keep.id, country_id=other.country_id)
    store.delete(tables.vendors, tables.vendors.c.id == other.id)
    row = {
        "kept_vendor_id": keep.id,
        "merged_key": other.key,
        "merged_name": other.name,
        "detail": json.dumps(detail, sort_keys=True),
        "merged_at": datetime.now(UTC),
        "undone_at": None,
    }
    return _record(row | {"id": store.insert(tables.vendor_merges, row)}, keep.name)


def _refuse_holding(store: Store, other: AnyRow) -> None:
    merges = tables.vendor_merges.c
    holding = store.scalar(
        select(merges.id)
        .where(merges.kept_vendor_id == other.id, merges.undone_at.is_(None))
        .limit(1)
    )
    if holding is not None:
        raise InvalidInputError(
            f"{other.name!r} keeps what merge {holding} moved into it:"
            f" merge it as KEEP, or undo merge {holding} first"
        )


def _move_aliases(store: Store, keep: AnyRow, other: AnyRow) -> dict[str, Any]:
    aliases = tables.vendor_aliases
    kept_aliases = set(store.scalars(select(aliases.c.alias).where(aliases.c.vendor_id == keep.id)))
    moved, dropped = [], []
    for alias in list(store.execute(select(aliases).where(aliases.c.vendor_id == other.id))):
        if alias.alias in kept_aliases or alias.alias == keep.name:
            dropped.append({"alias": alias.alias, "alias_key": alias.alias_key})
            store.delete(aliases, aliases.c.id == alias.id)
        else:
            moved.append(alias.id)
            store.update(aliases, alias.id, vendor_id=keep.id)
            kept_aliases.add(alias.alias)
    added = None
    if other.name != keep.name and other.name not in kept_aliases:
        row = {"vendor_id": keep.id, "alias": other.name, "alias_key": name_key(other.name)}
        added = store.insert(aliases, row)
    return {"aliases": moved, "aliases_dropped": dropped, "alias_added": added}


def undo_merge(store: Store, merge_id: int) -> MergeRecord:
    """Restore the merged vendor of a merge and move back everything the merge moved."""
    merges, vendors, aliases = tables.vendor_merges, tables.vendors, tables.vendor_aliases
    merge = store.find(merges, id=merge_id)
    if merge is None:
        raise NotFoundError(f"no merge with id {merge_id}")
    if merge.undone_at is not None:
        raise InvalidInputError(f"merge {merge_id} was already undone")
    detail = json.loads(merge.detail)
    old = detail["vendor"]
    if (
        store.find(vendors, id=old["id"]) is not None
        or store.find(vendors, key=old["key"]) is not None
    ):
        raise InvalidInputError(
            f"merge {merge_id} cannot be undone: vendor id {old['id']} or key {old['key']!r}"
            " is in use again"
        )
    moved = {name: detail[name] for name in MOVED} | {"aliases": detail["aliases"]}
    _refuse_moved_on(store, merge, moved)
    store.insert_many(vendors, [{**old, "name_key": name_key(old["name"])}])
    if detail["alias_added"] is not None:
        store.delete(aliases, aliases.c.id == detail["alias_added"])
    for name, ids in moved.items():
        store.move(_MOVABLE[name], ids, "vendor_id", old["id"])
    store.insert_many(aliases, [{"vendor_id": old["id"], **a} for a in detail["aliases_dropped"]])
    kept = store.find(vendors, id=merge.kept_vendor_id)
    assert kept is not None, "a merge's kept vendor cannot be deleted while the merge stands"
    if detail["country_set"]:
        store.update(vendors, kept.id, country_id=None)
    undone_at = datetime.now(UTC)
    store.update(merges, merge.id, undone_at=undone_at)
    return _record({**merge._mapping, "undone_at": undone_at}, kept.name)


# What undo moves back: what a merge moves, and the aliases it moved.
_MOVABLE: dict[str, Table] = {**MOVED, "aliases": tables.vendor_aliases}


def _refuse_moved_on(store: Store, merge: AnyRow, moved: dict[str, list[int]]) -> None:
    for name, ids in moved.items():
        table = _MOVABLE[name]
        query = select(table.c.id).where(table.c.vendor_id != merge.kept_vendor_id).limit(1)
        if any(store.scalar(query.where(table.c.id.in_(chunk))) for chunk in chunked(ids)):
            raise InvalidInputError(
                f"merge {merge.id} cannot be undone: {name} it moved now belong to another vendor"
            )


def list_merges(connection: Connection) -> list[MergeRecord]:
    """Return every recorded merge, newest first, with undone ones marked."""
    merges = tables.vendor_merges
    rows = connection.execute(
        select(merges, tables.vendors.c.name.label("kept"))
        .join(tables.vendors, tables.vendors.c.id == merges.c.kept_vendor_id)
        .order_by(merges.c.id.desc())
    )
    return [_record(dict(row._mapping), row.kept) for row in rows]


def _record(merge: Mapping[str, Any], kept: str) -> MergeRecord:
    detail = json.loads(merge["detail"])
    moved = {name: len(detail[name]) for name in (*MOVED, "aliases")}
    moved["aliases"] += detail["alias_added"] is not None
    return MergeRecord(
        id=merge["id"],
        kept_id=merge["kept_vendor_id"],
        kept=kept,
        merged_id=detail["vendor"]["id"],
        merged=merge["merged_name"],
        merged_key=merge["merged_key"],
        moved=moved,
        merged_at=_iso(merge["merged_at"]),
        undone_at=None if merge["undone_at"] is None else _iso(merge["undone_at"]),
    )


def _iso(moment: datetime) -> str:
    return moment.replace(microsecond=0).isoformat()
