"""Likely duplicate vendors, and merging two vendors into one in a way that can be undone."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from procwatch.db import chunked
from procwatch.errors import InvalidInputError, NotFoundError
from procwatch.matching import DEFAULT_MIN_SCORE, VendorNames, find_duplicates
from procwatch.models import (
    Citation,
    Contract,
    Jurisdiction,
    Measure,
    Vendor,
    VendorAlias,
    VendorIdentifier,
    VendorMerge,
)
from procwatch.resolve import name_key, resolve_vendor

# What a merge moves from the merged vendor to the kept one, by model and detail name.
MOVED: dict[str, Any] = {
    "contracts": Contract,
    "measures": Measure,
    "identifiers": VendorIdentifier,
    "citations": Citation,
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


def likely_duplicates(
    session: Session, min_score: float = DEFAULT_MIN_SCORE, limit: int | None = None
) -> list[DuplicatePair]:
    """Return pairs of vendors with alike names or aliases, most alike first; merge none."""
    names: dict[int, list[str]] = {}
    countries: dict[int, str | None] = {}
    kinds: dict[int, str] = {}
    for row in session.execute(
        select(Vendor.id, Vendor.name, Vendor.kind, Jurisdiction.code)
        .outerjoin(Jurisdiction, Vendor.country_id == Jurisdiction.id)
        .order_by(Vendor.id)
    ):
        names[row.id] = [row.name]
        countries[row.id] = row.code
        kinds[row.id] = row.kind
    for vendor_id, alias in session.execute(
        select(VendorAlias.vendor_id, VendorAlias.alias).order_by(VendorAlias.id)
    ):
        names[vendor_id].append(alias)
    identifiers: dict[int, set[tuple[str, str]]] = {}
    for vendor_id, scheme, identifier in session.execute(
        select(VendorIdentifier.vendor_id, VendorIdentifier.scheme, VendorIdentifier.identifier)
    ):
        identifiers.setdefault(vendor_id, set()).add((scheme, identifier))
    vendors = {
        vendor_id: VendorNames(
            names=tuple(dict.fromkeys(vendor_names)),
            country=countries[vendor_id],
            identifiers=frozenset(identifiers.get(vendor_id, ())),
            kind=kinds[vendor_id],
        )
        for vendor_id, vendor_names in names.items()
    }
    found = find_duplicates(vendors, min_score)
    pairs = [
        DuplicatePair(
            score=score.score,
            first_id=a,
            first=vendors[a].names[0],
            first_country=countries[a],
            second_id=b,
            second=vendors[b].names[0],
            second_country=countries[b],
            matched=f"{score.first} ~ {score.second}",
            why=score.why,
            first_kind=kinds[a],
            second_kind=kinds[b],
        )
        for a, b, score in found
    ]
    return pairs if limit is None else pairs[:limit]


def vendor_by_ref(session: Session, ref: str) -> Vendor:
    """Return the vendor with this id (digits) or name; a name shared by several is refused."""
    text = ref.strip().removeprefix("#")
    if text.isdigit():
        vendor = session.get(Vendor, int(text))
        if vendor is None:
            raise NotFoundError(f"no vendor with id {text}")
        return vendor
    key = name_key(ref)
    ids = sorted(
        set(session.scalars(select(Vendor.id).where(Vendor.name_key == key)))
        | set(session.scalars(select(VendorAlias.vendor_id).where(VendorAlias.alias_key == key)))
    )
    if len(ids) > 1:
        listed = ", ".join(str(vendor_id) for vendor_id in ids)
        raise InvalidInputError(f"{ref!r} names {len(ids)} vendors (ids {listed}); give an id")
    vendor = session.get(Vendor, resolve_vendor(session, ref).id)
    assert vendor is not None, "resolve_vendor returns only vendors that exist"
    return vendor


def merge_vendors(session: Session, keep_ref: str, other_ref: str) -> MergeRecord:
    """Move everything of OTHER to KEEP (its name becomes an alias), record it, delete OTHER."""
    keep, other = vendor_by_ref(session, keep_ref), vendor_by_ref(session, other_ref)
    if keep.id == other.id:
        raise InvalidInputError(f"{keep_ref!r} and {other_ref!r} are the same vendor ({keep.name})")
    holding = session.scalars(
        select(VendorMerge.id).where(
            VendorMerge.kept_vendor_id == other.id, VendorMerge.undone_at.is_(None)
        )
    ).first()
    if holding is not None:
        raise InvalidInputError(
            f"{other.name!r} keeps what merge {holding} moved into it:"
            f" merge it as KEEP, or undo merge {holding} first"
        )
    detail: dict[str, Any] = {
        "vendor": {
            "id": other.id,
            "key": other.key,
            "name": other.name,
            "country_id": other.country_id,
        }
    }
    for name, model in MOVED.items():
        ids = list(session.scalars(select(model.id).where(model.vendor_id == other.id)))
        detail[name] = ids
        for chunk in chunked(ids):
            session.execute(update(model).where(model.id.in_(chunk)).values(vendor_id=keep.id))
    detail.update(_move_aliases(session, keep, other))
    detail["country_set"] = keep.country_id is None and other.country_id is not None
    if detail["country_set"]:
        keep.country_id = other.country_id
    session.execute(delete(Vendor).where(Vendor.id == other.id))
    session.expunge(other)
    merge = VendorMerge(
        kept_vendor_id=keep.id,
        merged_key=detail["vendor"]["key"],
        merged_name=detail["vendor"]["name"],
        detail=json.dumps(detail, sort_keys=True),
        merged_at=datetime.now(UTC),
    )
    session.add(merge)
    session.flush()
    return _record(merge, keep.name)


def _move_aliases(session: Session, keep: Vendor, other: Vendor) -> dict[str, Any]:
    kept_aliases = set(
        session.scalars(select(VendorAlias.alias).where(VendorAlias.vendor_id == keep.id))
    )
    moved, dropped = [], []
    aliases = session.scalars(select(VendorAlias).where(VendorAlias.vendor_id == other.id))
    for alias in list(aliases):
        if alias.alias in kept_aliases or alias.alias == keep.name:
            dropped.append({"alias": alias.alias, "alias_key": alias.alias_key})
            session.delete(alias)
        else:
            moved.append(alias.id)
            alias.vendor_id = keep.id
            kept_aliases.add(alias.alias)
    session.flush()
    added = None
    if other.name != keep.name and other.name not in kept_aliases:
        alias = VendorAlias(vendor_id=keep.id, alias=other.name, alias_key=name_key(other.name))
        session.add(alias)
        session.flush()
        added = alias.id
    return {"aliases": moved, "aliases_dropped": dropped, "alias_added": added}


def undo_merge(session: Session, merge_id: int) -> MergeRecord:
    """Restore the merged vendor of a merge and move back everything the merge moved."""
    merge = session.get(VendorMerge, merge_id)
    if merge is None:
        raise NotFoundError(f"no merge with id {merge_id}")
    if merge.undone_at is not None:
        raise InvalidInputError(f"merge {merge_id} was already undone")
    detail = json.loads(merge.detail)
    old = detail["vendor"]
    if (
        session.get(Vendor, old["id"]) is not None
        or session.scalars(select(Vendor.id).where(Vendor.key == old["key"])).first()
    ):
        raise InvalidInputError(
            f"merge {merge_id} cannot be undone: vendor id {old['id']} or key {old['key']!r}"
            " is in use again"
        )
    moved = {name: detail[name] for name in MOVED} | {"aliases": detail["aliases"]}
    models: dict[str, Any] = {**MOVED, "aliases": VendorAlias}
    for name, ids in moved.items():
        model = models[name]
        elsewhere = [
            found
            for chunk in chunked(ids)
            for found in session.scalars(
                select(model.id)
                .where(model.id.in_(chunk), model.vendor_id != merge.kept_vendor_id)
                .limit(1)
            )
        ]
        if elsewhere:
            raise InvalidInputError(
                f"merge {merge_id} cannot be undone: {name} it moved now belong to another vendor"
            )
    session.add(
        Vendor(
            id=old["id"],
            key=old["key"],
            name=old["name"],
            name_key=name_key(old["name"]),
            country_id=old["country_id"],
        )
    )
    session.flush()
    if detail["alias_added"] is not None:
        session.execute(delete(VendorAlias).where(VendorAlias.id == detail["alias_added"]))
    for name, ids in moved.items():
        for chunk in chunked(ids):
            session.execute(
                update(models[name]).where(models[name].id.in_(chunk)).values(vendor_id=old["id"])
            )
    for alias in detail["aliases_dropped"]:
        session.add(
            VendorAlias(vendor_id=old["id"], alias=alias["alias"], alias_key=alias["alias_key"])
        )
    kept = session.get(Vendor, merge.kept_vendor_id)
    assert kept is not None
    if detail["country_set"]:
        kept.country_id = None
    merge.undone_at = datetime.now(UTC)
    session.flush()
    return _record(merge, kept.name)


def list_merges(session: Session) -> list[MergeRecord]:
    """Return every recorded merge, newest first, with undone ones marked."""
    rows = session.execute(
        select(VendorMerge, Vendor.name)
        .join(Vendor, Vendor.id == VendorMerge.kept_vendor_id)
        .order_by(VendorMerge.id.desc())
    )
    return [_record(merge, kept) for merge, kept in rows]


def _record(merge: VendorMerge, kept: str) -> MergeRecord:
    detail = json.loads(merge.detail)
    moved = {name: len(detail[name]) for name in (*MOVED, "aliases")}
    moved["aliases"] += detail["alias_added"] is not None
    return MergeRecord(
        id=merge.id,
        kept_id=merge.kept_vendor_id,
        kept=kept,
        merged_id=detail["vendor"]["id"],
        merged=merge.merged_name,
        merged_key=merge.merged_key,
        moved=moved,
        merged_at=_iso(merge.merged_at),
        undone_at=None if merge.undone_at is None else _iso(merge.undone_at),
    )


def _iso(moment: datetime) -> str:
    return moment.replace(microsecond=0).isoformat()
