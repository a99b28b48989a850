"""Read OCDS files in every shape publishers use, streaming their releases out one at a time.

Shapes: a release or record package, a bare release or record, a JSON array of any of these,
one JSON value per line (JSON lines), a folder of such files; each may be gzip-compressed and
in any encoding, from a file, a FIFO or stdin. Only one release (or one record) is in memory
at a time, and never one larger or deeper than the limits (importers/inputs.py).
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import ijson

from procwatch.errors import InvalidInputError
from procwatch.importers.inputs import (
    Input,
    InputKind,
    InputLimits,
    InputStream,
    check_encoding,
    deeper_than,
    find_input,
    open_input,
)

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
    # The SHA-256 of the file's bytes, known once it is read to the end.
    sha256: str | None = None


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


@dataclass(frozen=True)
class OcdsFile:
    """An input to read, and whether it was found in a folder (then it is refused alone)."""

    source: Input
    in_folder: bool = False


def ocds_files(paths: list[Path]) -> list[OcdsFile]:
    """Return the inputs named, with the OCDS files found in named folders (sorted)."""
    files: list[OcdsFile] = []
    for path in paths:
        found = find_input(path, folders=True)
        if found is not None:
            files.append(OcdsFile(found))
            continue
        items = sorted(
            item
            for item in path.rglob("*")
            if item.is_file()
            and not item.name.startswith(".")
            and item.name.lower().endswith(SUFFIXES)
        )
        if not items:
            raise InvalidInputError(f"{path}: no .json, .jsonl or .gz files in this folder")
        files.extend(
            OcdsFile(Input(item, item.name, InputKind.FILE, item.stat().st_size), in_folder=True)
            for item in items
        )
    if sum(found.source.kind is InputKind.STDIN for found in files) > 1:
        raise InvalidInputError("stdin ('-') can be read only once")
    return files


def read_releases(
    source: Input,
    info: FileInfo,
    *,
    encoding: str = "utf-8",
    limits: InputLimits | None = None,
    progress: ByteProgress | None = None,
) -> Iterator[FoundRelease | Problem]:
    """Yield every release of an input, and a Problem for every value that is not OCDS.

    A value over the limits (too large, too deep) is a Problem too, and is read past without
    being held. Raises InvalidInputError, naming the file and the position, when the bytes
    cannot be decoded or are not JSON: then nothing of the file can be trusted. Once every
    value is read, `info.sha256` is the hash of the input's bytes.
    """
    check_encoding(encoding)
    limits = limits or InputLimits()
    with open_input(source, limits) as raw:
        stream = _Utf8Stream(raw, encoding, source.name, progress)
        reader = _Reader(stream, source, encoding, info, limits)
        head = stream.peek(min(SNIFF_BYTES, limits.max_item_bytes))
        if not head.strip():
            # Whitespace of any length before the data is whitespace, not an empty file.
            head = stream.skip_whitespace(SNIFF_BYTES)
            if not head:
                raise InvalidInputError(f"{source.name}: the file is empty: no OCDS data")
        if _is_json_lines(head):
            yield from reader.json_lines()
        else:
            yield from reader.json_document()
        info.sha256 = raw.sha256()


class _Utf8Stream:
    """A file of any encoding read as UTF-8 bytes; undecodable bytes raise with their place.

    `mark` is where the value being read began: reading on more than the item limit past it
    means one JSON token (a string or a number) that alone is too large, which the parser
    would otherwise hold whole.
    """

    def __init__(
        self, source: InputStream, encoding: str, name: str, progress: ByteProgress | None
    ) -> None:
        self._source = source
        self._name = name
        self._encoding = encoding
        self._decoder = codecs.getincrementaldecoder(encoding)("strict")
        self._passthrough = codecs.lookup(encoding).name == "utf-8"
        self._progress = progress
        self._pending = b""
        self._offset = 0
        self._lines = 1
        self._started = False
        self.mark = 0
        self._guard = source.limits.max_item_bytes + 4 * READ_BLOCK
        self.skipped_lines = 0

    @property
    def position(self) -> int:
        """Return how many bytes of the (uncompressed) file the parser has been given."""
        return self._offset - len(self._pending)

    def peek(self, size: int) -> bytes:
        """Return up to `size` bytes without consuming them."""
        while len(self._pending) < size:
            block = self._next_block(READ_BLOCK)
            if not block:
                break
            self._pending += block
        return self._pending[:size]

    def skip_whitespace(self, size: int) -> bytes:
        """Consume whitespace, counting its newlines; return up to `size` bytes after it."""
        while True:
            body = self._pending.lstrip()
            self.skipped_lines += self._pending[: len(self._pending) - len(body)].count(b"\n")
            self._pending = body
            self.mark = self._offset
            if body:
                return self.peek(size)
            block = self._next_block(READ_BLOCK)
            if not block:
                return b""
            self._pending = block

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
            except UnicodeError as error:
                # Raised by some decoders (UTF-16 without a byte-order mark) for the whole file.
                raise InvalidInputError(
                    f"{self._name}: not {self._encoding} text ({error}): check the `encoding`"
                ) from None
            self._lines += chunk.count(b"\n")
            self._offset += len(chunk)
            if self._offset - self.mark > self._guard:
                raise InvalidInputError(
                    f"{self._name}: a single JSON value near byte {self.mark:,} is "
                    f"{self._source.limits.item_too_large()}"
                )
            if self._progress is not None:
                self._progress(self._source.raw_offset)
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
                "give the file's encoding with `encoding`, e.g. `encoding` iso-8859-1"
            )
        return InvalidInputError(
            f"{self._name}: byte 0x{bad} at offset {at} (line {line}) is not valid "
            f"{self._encoding}: check the `encoding`"
        )


def _is_json_lines(head: bytes) -> bool:
    body = head.lstrip()
    end = body.find(b"\n")
    if end < 0 or not body[end:].strip():
        return False
    try:
        json.loads(body[:end])
    except (ValueError, RecursionError):
        return False
    return True


class _Refused(Exception):
    """A value over the limits, and how many of its containers are still open."""

    def __init__(self, message: str, depth: int) -> None:
        super().__init__(message)
        self.message = message
        self.depth = depth


_STARTS = ("start_map", "start_array")
_ENDS = ("end_map", "end_array")
# How many parser events pass between two checks of an item's size: often enough to stop
# within a few kilobytes of the limit, rarely enough to cost nothing measurable.
_SIZE_CHECK_EVERY = 128


class _Reader:
    """The values of one file, read within the limits: built one release at a time."""

    def __init__(
        self,
        stream: _Utf8Stream,
        source: Input,
        encoding: str,
        info: FileInfo,
        limits: InputLimits,
    ) -> None:
        self.stream = stream
        self.source = source
        self.encoding = encoding
        self.info = info
        self.limits = limits
        self.events: Iterator[tuple[str, Any]] = iter(())

    def json_lines(self) -> Iterator[FoundRelease | Problem]:
        """Yield the releases of a JSON lines file, one line at a time."""
        stream, limit = self.stream, self.limits.max_item_bytes
        number = stream.skipped_lines
        parts: list[bytes] = []
        size = 0
        skipping = False
        while True:
            block = stream.read(READ_BLOCK)
            start = 0
            while (end := block.find(b"\n", start)) >= 0:
                number += 1
                piece, start = block[start:end], end + 1
                if skipping:
                    skipping, parts, size = False, [], 0
                    continue
                line = b"".join([*parts, piece]) if parts else piece
                parts, size = [], 0
                yield from self._line(line, number)
            if not skipping and block:
                parts.append(block[start:])
                size += len(block) - start
                if size > limit:
                    # The line is read on to its end without being kept.
                    yield self._too_large(f"line {number + 1}", stream.position - size)
                    skipping, parts, size = True, [], 0
            stream.mark = stream.position
            if not block:
                if parts and not skipping:
                    yield from self._line(b"".join(parts), number + 1)
                return

    def _line(self, line: bytes, number: int) -> Iterator[FoundRelease | Problem]:
        if not line.strip():
            return
        where = f"line {number}"
        if len(line) > self.limits.max_item_bytes or self.limits.too_many_values(line):
            yield Problem(where, self.limits.item_too_large())
            return
        try:
            value = json.loads(line, parse_float=Decimal)
        except json.JSONDecodeError as error:
            raise InvalidInputError(
                f"{self.source.name}: invalid JSON at line {number}, column {error.colno}: "
                f"{error.msg.lower()}"
            ) from None
        except RecursionError:
            yield Problem(where, self.limits.too_deep())
            return
        depth = self.limits.max_depth
        if line.count(b"{") + line.count(b"[") > depth and deeper_than(value, depth):
            yield Problem(where, self.limits.too_deep())
            return
        yield from releases_in(value, where, self.info)

    def _too_large(self, where: str, at: int) -> Problem:
        return Problem(where, f"{self.limits.item_too_large()} (from byte {max(at, 0):,})")

    def json_document(self) -> Iterator[FoundRelease | Problem]:
        """Yield the releases of one or more JSON values, streamed with ijson."""
        self.events = iter(ijson.basic_parse(self.stream, multiple_values=True))
        count = 0
        try:
            for event, value in self.events:
                count += 1
                where = "" if count == 1 else f"value {count}"
                self.stream.mark = self.stream.position
                if event == "start_map":
                    yield from self._object(where, 0)
                elif event == "start_array":
                    yield from self._array(where, 0)
                else:
                    yield Problem(where, f"expected a JSON object or array, found {_kind(value)}")
        except ijson.JSONError as error:
            raise InvalidInputError(_syntax_error(self.source, self.encoding, error)) from None

    def _array(self, where: str, base: int) -> Iterator[FoundRelease | Problem]:
        # `base` is how many containers hold this array.
        for index, (event, value) in enumerate(self.events):
            if event == "end_array":
                return
            position = f"{where}[{index}]"
            self.stream.mark = self.stream.position
            if event == "start_map":
                yield from self._object(position, base + 1)
                continue
            item = yield from self._item(event, value, position, base + 1, self.stream.position)
            if item is not _REFUSED:
                yield from releases_in(item, position, self.info)

    def _object(self, where: str, base: int) -> Iterator[FoundRelease | Problem]:
        # A package streams its releases or records; every other member is small and built
        # whole, within one item's limit for all of them together.
        members: dict[str, Any] = {}
        linked: list[str] = []
        spent = 0
        for event, value in self.events:
            if event == "end_map":
                break
            key = str(value)
            self.stream.mark = self.stream.position
            event, value = next(self.events)
            if key in ("releases", "records") and event == "start_array":
                members[key] = True
                yield from self._package_items(key, where, base, linked)
                continue
            began = self.stream.position
            member = yield from self._item(event, value, where, base + 1, began - spent)
            if member is _REFUSED:
                self._discard(1)
                return
            spent += self.stream.position - began
            members[key] = member
        yield from self._object_releases(members, linked, where)

    def _package_items(
        self, key: str, where: str, base: int, linked: list[str]
    ) -> Iterator[FoundRelease | Problem]:
        for index, (event, value) in enumerate(self.events):
            if event == "end_array":
                return
            position = _join(where, f"{key}[{index}]")
            self.stream.mark = self.stream.position
            item = yield from self._item(event, value, position, base + 2, self.stream.position)
            if item is _REFUSED:
                continue
            if key == "releases" and isinstance(item, dict) and "ocid" not in item:
                # A record's linked release (url, date, tag): its compiledRelease says more.
                linked.append(position)
                continue
            yield from releases_in(item, position, self.info)

    def _object_releases(
        self, members: dict[str, Any], linked: list[str], where: str
    ) -> Iterator[FoundRelease | Problem]:
        info = self.info
        _note_publisher(members, info)
        if "ocid" in members:
            if "releases" in members or "compiledRelease" in members:
                if linked and isinstance(members.get("compiledRelease"), dict):
                    yield from releases_in(
                        members["compiledRelease"], _join(where, "compiledRelease"), info
                    )
                elif linked:
                    yield Problem(
                        linked[0], "a linked release without its record's compiledRelease"
                    )
                return
            yield from releases_in(members, where, info)
            return
        for position in linked:
            yield Problem(position, "not an OCDS release: it has no 'ocid'")
        if "releases" not in members and "records" not in members:
            yield Problem(where, _NOT_OCDS)

    def _item(
        self, event: str, value: Any, where: str, base: int, start: int
    ) -> Generator[Problem, None, Any]:
        """Return one value built whole, or yield a Problem and return _REFUSED when over limits."""
        try:
            return self._build(event, value, base, start)
        except _Refused as refused:
            yield Problem(where or "the top-level value", refused.message)
            self._discard(refused.depth)
            return _REFUSED

    def _build(self, event: str, value: Any, base: int, start: int) -> Any:
        builder = ijson.ObjectBuilder()
        builder.event(event, value)
        if event not in _STARTS:
            return builder.value
        stream, limit = self.stream, self.limits.max_item_bytes
        # Every value is about two events (a key and a value, or a start and an end).
        values = 2 * self.limits.max_item_values
        room = self.limits.max_depth - base
        if room < 1:
            raise _Refused(self.limits.too_deep(), 1)
        stream.mark = start
        depth = 1
        for count, (inner_event, inner_value) in enumerate(self.events, start=1):
            builder.event(inner_event, inner_value)
            if inner_event in _STARTS:
                depth += 1
                if depth > room:
                    raise _Refused(self.limits.too_deep(), depth)
            elif inner_event in _ENDS:
                depth -= 1
                if depth == 0:
                    break
            if count % _SIZE_CHECK_EVERY == 0 and (
                stream.position - start > limit or count > values
            ):
                raise _Refused(self.limits.item_too_large(), depth)
        return builder.value

    def _discard(self, depth: int) -> None:
        # Read past the rest of a refused value, holding nothing of it.
        stream = self.stream
        for event, _ in self.events:
            stream.mark = stream.position
            if event in _STARTS:
                depth += 1
            elif event in _ENDS:
                depth -= 1
                if depth == 0:
                    return


_REFUSED: Any = object()


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


def _syntax_error(source: Input, encoding: str, error: ijson.JSONError) -> str:
    # The fast C parser does not say where it failed; the pure Python one does, so the
    # (rare) failing file is parsed once more to find the line and column. A stream cannot
    # be read again: the C parser's own words are all there is.
    name = source.name
    if source.is_stream:
        return f"{name}: invalid JSON ({str(error).strip().rstrip('.')})"
    from ijson.backends import python as located

    with _reopened(source, encoding) as stream:
        try:
            for _ in located.basic_parse(stream, multiple_values=True):
                pass
        except ijson.IncompleteJSONError:
            return f"{name}: invalid JSON: the file ends in the middle of a value"
        except ijson.JSONError as located_error:
            message = str(located_error)
            symbol, _, offset = message.rpartition(" at ")
            if offset.isdigit():
                line, column = _line_column(source, encoding, int(offset))
                what = symbol.replace("Unexpected symbol", "unexpected").strip()
                return f"{name}: invalid JSON at line {line}, column {column}: {what}"
            return f"{name}: invalid JSON: {message}"
        except ValueError:
            # The Python parser decodes strings with the json module, which refuses raw
            # control characters without saying where in the file they are.
            return (
                f"{name}: invalid JSON: a string holds a raw control character (a TAB, "
                "newline or other character below space), which JSON requires escaped "
                "(\\t, \\n)"
            )
        except RecursionError:
            return f"{name}: invalid JSON, nested too deeply to say where"
    return f"{name}: invalid JSON"


@contextmanager
def _reopened(source: Input, encoding: str) -> Iterator[_Utf8Stream]:
    # Reading a file again to find a place: the limits were checked by the first read.
    limits = InputLimits(max_item_bytes=1 << 62, max_ratio=1 << 62)
    with open_input(source, limits) as raw:
        yield _Utf8Stream(raw, encoding, source.name, None)


def _line_column(source: Input, encoding: str, offset: int) -> tuple[int, int]:
    with _reopened(source, encoding) as stream:
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
