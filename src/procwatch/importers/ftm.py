"""FollowTheMoney JSON lines (OpenSanctions): Sanction entities and the parties they name."""

from __future__ import annotations

import gzip
import json
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, cast

from procwatch.errors import InvalidInputError
from procwatch.importers.cleaning import measure_kind
from procwatch.importers.columns import Progress, RawEntry

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


def is_ftm(path: Path) -> bool:
    """Return whether a file looks like JSON lines (by name, else by its first byte)."""
    name = path.name.lower().removesuffix(".gz")
    if name.endswith((".json", ".jsonl", ".ndjson", ".ftm")):
        return True
    with _lines(path) as (handle, _):
        return handle.read(64).lstrip()[:1] == b"{"


@contextmanager
def _lines(path: Path) -> Iterator[tuple[IO[bytes], IO[bytes]]]:
    # Yields the (maybe gunzipped) stream and the raw file, whose position is the progress.
    with path.open("rb") as raw:
        gzipped = raw.read(2) == b"\x1f\x8b"
        raw.seek(0)
        if not gzipped:
            yield raw, raw
            return
        with gzip.GzipFile(fileobj=raw, mode="rb") as unzipped:
            yield cast(IO[bytes], unzipped), raw


def read_ftm(
    path: Path, warn: Callable[[str], None], progress: Progress | None = None
) -> Iterator[RawEntry]:
    """Yield one entry per sanction of a party; two passes keep only sanctions in memory."""
    total = path.stat().st_size
    sanctions: dict[str, list[tuple[int, dict[str, Any]]]] = defaultdict(list)
    for number, entity in _entities(path, lambda done: _report(progress, done, 2 * total)):
        if entity["schema"] == "Sanction":
            for target in _values(entity, "entity"):
                sanctions[_ref(target)].append((number, entity))
        for nested in _values(entity, "sanctions"):
            if isinstance(nested, dict):
                sanctions[entity["id"]].append((number, nested))
    found: set[str] = set()
    for number, entity in _entities(path, lambda done: _report(progress, total + done, 2 * total)):
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


def _entities(path: Path, progress: Callable[[int], None]) -> Iterator[tuple[int, dict[str, Any]]]:
    with _lines(path) as (handle, raw):
        try:
            for number, line in enumerate(handle, start=1):
                if number % 1000 == 0:
                    progress(raw.tell())
                if line.strip():
                    yield number, _entity(path, number, line)
        except (OSError, EOFError) as error:
            raise InvalidInputError(f"{path.name}: cannot read it ({error})") from None


def _entity(path: Path, number: int, line: bytes) -> dict[str, Any]:
    try:
        entity = json.loads(line)
    except UnicodeDecodeError:
        raise InvalidInputError(f"{path.name} line {number}: not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise InvalidInputError(
            f"{path.name} line {number}: not JSON ({error.msg} at column {error.colno})"
        ) from None
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
            "quote": "; ".join(_texts(sanction, "summary")) or None,
        },
    )
