"""FollowTheMoney JSON lines (OpenSanctions): Sanction entities and the parties they name."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from procwatch.domain.records import Warn
from procwatch.errors import InvalidInputError
from procwatch.importers.cleaning import measure_kind
from procwatch.importers.columns import Progress, RawEntry
from procwatch.importers.inputs import (
    Input,
    InputKind,
    InputLimits,
    InputStream,
    deeper_than,
    open_input,
)

# Schemas of parties that can be vendors; vessels and aircraft are not.
PARTY_SCHEMAS = frozenset(["Company", "Organization", "LegalEntity", "Person", "PublicBody"])
# FollowTheMoney identifier properties and the org-id.guide style scheme procwatch keeps them as.
IDENTIFIER_SCHEMES = {
    "leiCode": "XI-LEI",
    "innCode": "RU-INN",
    "ogrnCode": "RU-OGRN",
    "dunsCode": "US-DUNS",
    "swiftBic": "SWIFT",
}


def is_ftm(path: Path, limits: InputLimits | None = None) -> bool:
    """Return whether a file looks like JSON lines (by name, else by its first byte)."""
    name = path.name.lower().removesuffix(".gz")
    if name.endswith((".json", ".jsonl", ".ndjson", ".ftm")):
        return True
    with _lines(path, limits or InputLimits()) as stream:
        return stream.read(64).lstrip()[:1] == b"{"


def _lines(path: Path, limits: InputLimits) -> AbstractContextManager[InputStream]:
    # The (maybe gunzipped) stream; its raw offset is the progress.
    return open_input(Input(path, path.name, InputKind.FILE, 0), limits)


def read_ftm(
    path: Path,
    warn: Warn,
    progress: Progress | None = None,
    limits: InputLimits | None = None,
) -> Iterator[RawEntry]:
    """Yield one entry per sanction of a party; two passes keep only sanctions in memory."""
    limits = limits or InputLimits()
    total = path.stat().st_size
    sanctions: dict[str, list[tuple[int, dict[str, Any]]]] = defaultdict(list)
    first_pass = _entities(path, limits, lambda done: _report(progress, done, 2 * total))
    for number, entity in first_pass:
        if entity["schema"] == "Sanction":
            for target in _values(entity, "entity"):
                sanctions[_ref(target)].append((number, entity))
        for nested in _values(entity, "sanctions"):
            if isinstance(nested, dict):
                sanctions[entity["id"]].append((number, nested))
    found: set[str] = set()
    second_pass = _entities(path, limits, lambda done: _report(progress, total + done, 2 * total))
    for number, entity in second_pass:
        listed = sanctions.get(entity.get("id", ""))
        if not listed or entity["schema"] == "Sanction":
            continue
        found.add(entity["id"])
        if entity["schema"] not in PARTY_SCHEMAS:
            warn(f"{entity['schema']} entities are not vendors; their sanctions skipped")
            continue
        for sanction_line, sanction in listed:
            yield _entry(path, entity, number, sanction, sanction_line)
    for missing in set(sanctions) - found:
        for _ in sanctions[missing]:
            warn("sanctions whose entity is not in the file; skipped")
    _report(progress, 2 * total, 2 * total)


def _report(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None:
        progress(min(done, total), total)


def _entities(
    path: Path, limits: InputLimits, progress: Callable[[int], None]
) -> Iterator[tuple[int, dict[str, Any]]]:
    limit = limits.max_item_bytes
    with _lines(path, limits) as stream:
        number = 0
        # A line is read at most one byte past the limit: a longer one is refused unread.
        while line := stream.readline(limit + 1):
            number += 1
            if number % 1000 == 0:
                progress(stream.raw_offset)
            if len(line) > limit or limits.too_many_values(line):
                raise InvalidInputError(f"{path.name} line {number}: {limits.item_too_large()}")
            if line.strip():
                yield number, _entity(path, number, line, limits)


def _entity(path: Path, number: int, line: bytes, limits: InputLimits) -> dict[str, Any]:
    try:
        entity = json.loads(line)
    except UnicodeDecodeError:
        raise InvalidInputError(f"{path.name} line {number}: not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise InvalidInputError(
            f"{path.name} line {number}: not JSON ({error.msg} at column {error.colno})"
        ) from None
    except RecursionError:
        raise InvalidInputError(f"{path.name} line {number}: {limits.too_deep()}") from None
    if line.count(b"{") + line.count(b"[") > limits.max_depth and deeper_than(
        entity, limits.max_depth
    ):
        raise InvalidInputError(f"{path.name} line {number}: {limits.too_deep()}")
    if (
        not isinstance(entity, dict)
        or not isinstance(entity.get("schema"), str)
        or not isinstance(entity.get("properties"), dict)
    ):
        raise InvalidInputError(
            f"{path.name} line {number}: not a FollowTheMoney entity (no schema or properties)"
        )
    if not isinstance(entity.get("id"), str):
        raise InvalidInputError(f"{path.name} line {number}: entity without an id")
    return entity


def _values(entity: dict[str, Any], prop: str) -> list[Any]:
    value = entity.get("properties", {}).get(prop, [])
    return value if isinstance(value, list) else [value]


def _texts(entity: dict[str, Any], prop: str) -> list[str]:
    return [" ".join(str(value).split()) for value in _values(entity, prop) if str(value).strip()]


def _first(*values: list[str]) -> str | None:
    return next((items[0] for items in values if items), None)


def _ref(value: Any) -> str:
    # Nested exports inline the entity instead of naming its id.
    return str(value.get("id")) if isinstance(value, dict) else str(value)


def _entry(
    path: Path, entity: dict[str, Any], line: int, sanction: dict[str, Any], sanction_line: int
) -> RawEntry:
    names = _texts(entity, "name") or [str(entity.get("caption", ""))]
    aliases = names[1:] + _texts(entity, "alias") + _texts(entity, "previousName")
    identifiers = [("FTM", entity["id"])] + [
        (scheme, value)
        for prop, scheme in IDENTIFIER_SCHEMES.items()
        for value in _texts(entity, prop)
    ]
    countries = sorted(set(_texts(entity, "country") or _texts(entity, "jurisdiction")))
    provisions = _texts(sanction, "provisions")
    kinds = {kind for text in provisions if (kind := measure_kind(text)) is not None}
    program = (_texts(sanction, "programId") or _texts(sanction, "program") or [""])[0]
    datasets = sanction.get("datasets") or entity.get("datasets") or [path.name.split(".")[0]]
    sanction_id = str(sanction.get("id", ""))
    where = f"line {sanction_line}" if sanction_line == line else f"lines {line}, {sanction_line}"
    return RawEntry(
        locator=f"entity {entity['id']}, sanction {sanction_id}, {where}",
        values={
            "list": str(datasets[0]),
            "id": entity["id"],
            "name": names[0],
            "aliases": aliases,
            "identifiers": identifiers,
            "vendor_country": countries[0] if len(countries) == 1 else None,
            "country": _first(_texts(sanction, "country")),
            "authority": "; ".join(_texts(sanction, "authority")) or None,
            "kind": kinds.pop().value if len(kinds) == 1 else None,
            "program": program or sanction_id,
            "scope": "; ".join(provisions) or None,
            "legal_basis": "; ".join(_texts(sanction, "program")) or None,
            "reason": "; ".join(_texts(sanction, "reason")) or None,
            "start": _first(_texts(sanction, "startDate"), _texts(sanction, "listingDate")),
            "end": _first(_texts(sanction, "endDate")),
            "listed": _first(_texts(sanction, "listingDate")),
            "quote": "; ".join(_texts(sanction, "summary")) or None,
        },
    )
