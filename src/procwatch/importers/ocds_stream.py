"""Read OCDS files in every shape publishers use, streaming their releases out one at a time.

Shapes: a release or record package, a bare release or record, a JSON array of any of these,
one JSON value per line (JSON lines), a folder of such files; each may be gzip-compressed and
in any encoding. Only one release (or one record) is in memory at a time.
"""

from __future__ import annotations

import codecs
import gzip
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, cast

import ijson

from procwatch.errors import InvalidInputError

READ_BLOCK = 1 << 16
# How much of a file is read to tell JSON lines from a JSON document.
SNIFF_BYTES = 1 << 20
SUFFIXES = (".json", ".jsonl", ".ndjson", ".gz")

ByteProgress = Callable[[int], None]


@dataclass
class FileInfo:
    """What an OCDS file says about itself: who published it, and when."""

    publisher: str | None = None
    published: str | None = None


@dataclass(frozen=True)
class FoundRelease:
    """A release and where it is in its file (a JSON path such as `releases[3]`)."""

    position: str
    release: dict[str, Any]


@dataclass(frozen=True)
class Problem:
    """A value of the file that is not an OCDS release, and why."""

    position: str
    message: str


def ocds_files(paths: list[Path]) -> list[Path]:
    """Return the files named, with the OCDS files found in named folders (sorted)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(
                item
                for item in path.rglob("*")
                if item.is_file()
                and not item.name.startswith(".")
                and item.name.lower().endswith(SUFFIXES)
            )
            if not found:
                raise InvalidInputError(f"{path}: no .json, .jsonl or .gz files in this folder")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            raise InvalidInputError(f"{path}: no such file or folder")
    return files


def read_releases(
    path: Path,
    info: FileInfo,
    *,
    encoding: str = "utf-8",
    progress: ByteProgress | None = None,
) -> Iterator[FoundRelease | Problem]:
    """Yield every release of a file, and a Problem for every value that is not OCDS.

    Raises InvalidInputError, naming the file and the position, when the bytes cannot be
    decoded or are not JSON: then nothing of the file can be trusted.
    """
    _check_encoding(encoding)
    with path.open("rb") as raw:
        stream = _Utf8Stream(_uncompressed(raw), encoding, path.name, raw, progress)
        head = stream.peek(SNIFF_BYTES)
        if not head.strip():
            raise InvalidInputError(f"{path.name}: the file is empty: no OCDS data")
        if _is_json_lines(head):
            yield from _json_lines(stream, info, path.name)
        else:
            yield from _json_document(stream, info, path, encoding)


def _check_encoding(encoding: str) -> None:
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise InvalidInputError(
            f"unknown encoding {encoding!r}, e.g. utf-8, iso-8859-1, cp1252"
        ) from None


def _uncompressed(raw: IO[bytes]) -> IO[bytes]:
    magic = raw.read(2)
    raw.seek(0)
    if magic == b"\x1f\x8b":
        return cast(IO[bytes], gzip.GzipFile(fileobj=raw, mode="rb"))
    return raw


class _Utf8Stream:
    """A file of any encoding read as UTF-8 bytes; undecodable bytes raise with their place."""

    def __init__(
        self,
        source: IO[bytes],
        encoding: str,
        name: str,
        raw: IO[bytes],
        progress: ByteProgress | None,
    ) -> None:
        self._source = source
        self._raw = raw
        self._name = name
        self._encoding = encoding
        self._decoder = codecs.getincrementaldecoder(encoding)("strict")
        self._passthrough = codecs.lookup(encoding).name == "utf-8"
        self._progress = progress
        self._pending = b""
        self._offset = 0
        self._lines = 1
        self._started = False

    def peek(self, size: int) -> bytes:
        """Return up to `size` bytes without consuming them."""
        while len(self._pending) < size:
            block = self._next_block(READ_BLOCK)
            if not block:
                break
            self._pending += block
        return self._pending[:size]

    def read(self, size: int = -1) -> bytes:
        """Return up to `size` UTF-8 bytes (ijson's file protocol)."""
        if size == 0:
            return b""
        if self._pending:
            block, self._pending = self._pending[:size], self._pending[size:]
            if size < 0:
                block, self._pending = block + self._pending, b""
            return block
        return self._next_block(size if size > 0 else READ_BLOCK)

    def _next_block(self, size: int) -> bytes:
        while True:
            chunk = self._source.read(size)
            try:
                text = self._decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as error:
                raise self._undecodable(chunk, error) from None
            self._lines += chunk.count(b"\n")
            self._offset += len(chunk)
            if self._progress is not None:
                self._progress(self._raw.tell())
            if not self._started and text:
                self._started = True
                if text.startswith("\ufeff"):
                    # A byte-order mark is not JSON; publishers' editors add it.
                    text = text[1:]
                    chunk = chunk[3:] if self._passthrough else chunk
            if text or not chunk:
                return chunk if self._passthrough else text.encode("utf-8")

    def _undecodable(self, chunk: bytes, error: UnicodeDecodeError) -> InvalidInputError:
        at = self._offset + error.start
        line = self._lines + chunk[: max(error.start, 0)].count(b"\n")
        bad = chunk[error.start : error.start + 1].hex() if error.start >= 0 else "?"
        if self._passthrough:
            return InvalidInputError(
                f"{self._name}: byte 0x{bad} at offset {at} (line {line}) is not UTF-8: "
                "give the file's encoding with --encoding, e.g. --encoding iso-8859-1"
            )
        return InvalidInputError(
            f"{self._name}: byte 0x{bad} at offset {at} (line {line}) is not valid "
            f"{self._encoding}: check the --encoding"
        )


def _is_json_lines(head: bytes) -> bool:
    body = head.lstrip()
    end = body.find(b"\n")
    if end < 0 or not body[end:].strip():
        return False
    try:
        json.loads(body[:end])
    except ValueError:
        return False
    return True


def _json_lines(stream: _Utf8Stream, info: FileInfo, name: str) -> Iterator[FoundRelease | Problem]:
    number = 0
    rest = b""
    while True:
        block = stream.read(READ_BLOCK)
        lines = (rest + block).split(b"\n")
        rest = lines.pop() if block else b""
        for line in lines:
            number += 1
            if not line.strip():
                continue
            try:
                value = json.loads(line, parse_float=Decimal)
            except json.JSONDecodeError as error:
                raise InvalidInputError(
                    f"{name}: invalid JSON at line {number}, column {error.colno}: "
                    f"{error.msg.lower()}"
                ) from None
            yield from releases_in(value, f"line {number}", info)
        if not block:
            return


def _json_document(
    stream: _Utf8Stream, info: FileInfo, path: Path, encoding: str
) -> Iterator[FoundRelease | Problem]:
    events = iter(ijson.parse(stream, multiple_values=True))
    count = 0
    try:
        for _, event, value in events:
            count += 1
            where = "" if count == 1 else f"value {count}"
            if event == "start_map":
                yield from _streamed_object(events, info, where)
            elif event == "start_array":
                yield from _streamed_array(events, info, where)
            else:
                yield Problem(where, f"expected a JSON object or array, found {_kind(value)}")
    except ijson.JSONError:
        raise InvalidInputError(_syntax_error(path, encoding)) from None


def _streamed_array(
    events: Iterator[tuple[str, str, Any]], info: FileInfo, where: str
) -> Iterator[FoundRelease | Problem]:
    for index, (_, event, value) in enumerate(events):
        if event == "end_array":
            return
        item = _build(event, value, events)
        yield from releases_in(item, f"{where}[{index}]", info)


def _streamed_object(
    events: Iterator[tuple[str, str, Any]], info: FileInfo, where: str
) -> Iterator[FoundRelease | Problem]:
    # A package streams its releases or records; every other member is small and built whole.
    members: dict[str, Any] = {}
    linked: list[str] = []
    for _, event, value in events:
        if event == "end_map":
            break
        key = str(value)
        _, event, value = next(events)
        if key in ("releases", "records") and event == "start_array":
            members[key] = True
            index = 0
            for _, item_event, item_value in events:
                if item_event == "end_array":
                    break
                item = _build(item_event, item_value, events)
                position = _join(where, f"{key}[{index}]")
                index += 1
                if key == "releases" and isinstance(item, dict) and "ocid" not in item:
                    # A record's linked release (url, date, tag): its compiledRelease says more.
                    linked.append(position)
                    continue
                yield from releases_in(item, position, info)
        else:
            members[key] = _build(event, value, events)
    _note_publisher(members, info)
    if "ocid" in members:
        if "releases" in members or "compiledRelease" in members:
            if linked and isinstance(members.get("compiledRelease"), dict):
                yield from releases_in(
                    members["compiledRelease"], _join(where, "compiledRelease"), info
                )
            elif linked:
                yield Problem(linked[0], "a linked release without its record's compiledRelease")
            return
        yield from releases_in(members, where, info)
        return
    for position in linked:
        yield Problem(position, "not an OCDS release: it has no 'ocid'")
    if "releases" not in members and "records" not in members:
        yield Problem(where, _NOT_OCDS)


_NOT_OCDS = (
    "not OCDS: expected a release (with 'ocid'), a record (with 'ocid' and 'releases') "
    "or a package (with 'releases' or 'records')"
)


def releases_in(value: Any, where: str, info: FileInfo) -> Iterator[FoundRelease | Problem]:
    """Yield the releases in one JSON value: a release, a record, a package or a list."""
    if isinstance(value, list):
        for index, item in enumerate(value):
            yield from releases_in(item, f"{where}[{index}]", info)
        return
    if not isinstance(value, dict):
        yield Problem(where, f"expected a JSON object, found {_kind(value)}")
        return
    if "ocid" not in value:
        if isinstance(value.get("releases"), list) or isinstance(value.get("records"), list):
            _note_publisher(value, info)
            for key in ("releases", "records"):
                for index, item in enumerate(value.get(key) or []):
                    yield from releases_in(item, _join(where, f"{key}[{index}]"), info)
            return
        yield Problem(where, _NOT_OCDS)
        return
    releases = value.get("releases")
    if isinstance(releases, list) or "compiledRelease" in value:
        _note_publisher(value, info)
        full = [item for item in releases or [] if isinstance(item, dict) and "ocid" in item]
        if full and len(full) == len(releases or []):
            for index, item in enumerate(full):
                yield from releases_in(item, _join(where, f"releases[{index}]"), info)
        elif isinstance(value.get("compiledRelease"), dict):
            yield from releases_in(value["compiledRelease"], _join(where, "compiledRelease"), info)
        else:
            yield Problem(where, "a record needs full releases or a compiledRelease")
        return
    if not info.publisher and isinstance(value.get("packageInfo"), dict):
        _note_publisher(value["packageInfo"], info)
    yield FoundRelease(where, value)


def _note_publisher(container: dict[str, Any], info: FileInfo) -> None:
    publisher = container.get("publisher")
    if info.publisher is None and isinstance(publisher, dict):
        name = publisher.get("name")
        info.publisher = name.strip() if isinstance(name, str) and name.strip() else None
    published = container.get("publishedDate")
    if info.published is None and isinstance(published, str) and len(published) >= 10:
        info.published = published[:10]


def _build(event: str, value: Any, events: Iterator[tuple[str, str, Any]]) -> Any:
    builder = ijson.ObjectBuilder()
    builder.event(event, value)
    if event not in ("start_map", "start_array"):
        return builder.value
    depth = 1
    for _, inner_event, inner_value in events:
        builder.event(inner_event, inner_value)
        if inner_event in ("start_map", "start_array"):
            depth += 1
        elif inner_event in ("end_map", "end_array"):
            depth -= 1
            if depth == 0:
                break
    return builder.value


def _join(where: str, step: str) -> str:
    return f"{where}.{step}" if where and not step.startswith("[") else f"{where}{step}"


def _kind(value: Any) -> str:
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "true or false"
    if value is None:
        return "null"
    if isinstance(value, list):
        return "an array"
    return "a number"


def _syntax_error(path: Path, encoding: str) -> str:
    # The fast C parser does not say where it failed; the pure Python one does, so the
    # (rare) failing file is parsed once more to find the line and column.
    from ijson.backends import python as located

    with path.open("rb") as raw:
        stream = _Utf8Stream(_uncompressed(raw), encoding, path.name, raw, None)
        try:
            for _ in located.basic_parse(stream, multiple_values=True):
                pass
        except ijson.IncompleteJSONError:
            return f"{path.name}: invalid JSON: the file ends in the middle of a value"
        except ijson.JSONError as error:
            message = str(error)
            symbol, _, offset = message.rpartition(" at ")
            if offset.isdigit():
                line, column = _line_column(path, encoding, int(offset))
                what = symbol.replace("Unexpected symbol", "unexpected").strip()
                return f"{path.name}: invalid JSON at line {line}, column {column}: {what}"
            return f"{path.name}: invalid JSON: {message}"
    return f"{path.name}: invalid JSON"


def _line_column(path: Path, encoding: str, offset: int) -> tuple[int, int]:
    with path.open("rb") as raw:
        stream = _Utf8Stream(_uncompressed(raw), encoding, path.name, raw, None)
        decoder = codecs.getincrementaldecoder("utf-8")()
        seen = 0
        line, column = 1, 1
        while seen <= offset:
            block = stream.read(READ_BLOCK)
            if not block:
                break
            text = decoder.decode(block)
            part = text[: offset - seen + 1]
            newlines = part.count("\n")
            if newlines:
                line += newlines
                column = len(part) - part.rfind("\n")
            else:
                column += len(part)
            seen += len(text)
        return line, max(column - 1, 1)
