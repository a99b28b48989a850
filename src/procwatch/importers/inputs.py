"""The one place that opens an import's input: a file, a FIFO or stdin, maybe gzip-compressed.

Whatever the input, what is read stays bounded: a single item (an OCDS release, record or
package header, a list row or entity) larger than `InputLimits.max_item_bytes`, JSON nested
deeper than `max_depth` levels, or gzip data that expands more than `max_ratio` times is
refused with the file's name and the place, before it can fill memory. The raw bytes are
hashed as they are read, so a file is hashed without reading it a second time.
"""

from __future__ import annotations

import errno
import gzip
import hashlib
import stat
import sys
import tempfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import IO, Any, cast

from procwatch.errors import InvalidInputError, SpoolError

# The name that means standard input, as in most Unix tools.
STDIN = "-"
MB = 1 << 20
READ_BLOCK = 1 << 16
# Below this many expanded bytes the ratio is not judged: tiny files of repeated text
# compress far beyond any bound and are harmless.
RATIO_FLOOR = 4 * MB
GZIP_MAGIC = b"\x1f\x8b"


@dataclass(frozen=True)
class InputLimits:
    """How large one item, how deep its nesting and how compressed an input may be."""

    # 64 MB of JSON is far beyond the largest real release seen (a few MB) and, built as
    # Python objects, stays within a few hundred MB of memory.
    max_item_bytes: int = 64 * MB
    # OCDS releases nest about 8 levels; 64 leaves room for extensions and wrappers.
    max_depth: int = 64
    # Real JSON and CSV gzip 5 to 30 times; a bomb expands a thousand times.
    max_ratio: int = 200

    def __post_init__(self) -> None:
        if self.max_item_bytes < 1 or self.max_depth < 1 or self.max_ratio < 1:
            raise InvalidInputError("input limits must be positive numbers")

    @property
    def max_item_values(self) -> int:
        """Return how many JSON values (or CSV cells) one item may hold.

        Memory follows the number of values more than the bytes: 16 MB of `{},{},...`
        took 702 MB as Python objects, 16 MB of `0,0,...` 231 MB. One value per 16 bytes
        is more than real data has (about one per 20-40 bytes) and caps the worst case.
        """
        return max(self.max_item_bytes // 16, 1)

    def item_too_large(self) -> str:
        """Return why an item over the size limit is refused."""
        return (
            f"larger than the limit of {_megabytes(self.max_item_bytes)} "
            f"(or {self.max_item_values:,} values) per item"
        )

    def too_many_values(self, data: bytes | str, separators: str = ",{[") -> bool:
        """Return whether text may hold more values than one item may (counted by separators)."""
        if len(data) <= self.max_item_values:
            return False
        if isinstance(data, bytes):
            return sum(data.count(mark.encode()) for mark in separators) > self.max_item_values
        return sum(data.count(mark) for mark in separators) > self.max_item_values

    def too_deep(self) -> str:
        """Return why an item nested too deeply is refused."""
        return f"nested deeper than the limit of {self.max_depth} levels"


def _megabytes(size: int) -> str:
    return f"{size / MB:g} MB"


class InputKind(StrEnum):
    """What an input is: a regular file can be read twice, a stream only once."""

    FILE = "file"
    FIFO = "FIFO"
    STDIN = "stdin"


@dataclass(frozen=True)
class Input:
    """An input named on the command line: its path, the name messages use, and its kind."""

    path: Path
    name: str
    kind: InputKind
    size: int

    @property
    def is_stream(self) -> bool:
        """Return whether the input can be read only once, from start to end."""
        return self.kind is not InputKind.FILE


def find_input(path: Path, *, folders: bool = False) -> Input | None:
    """Return what a named input is; None for a folder when folders are allowed.

    Raises InvalidInputError naming what the path is when it cannot be imported: missing,
    a folder, a device or a socket.
    """
    if str(path) == STDIN:
        return Input(path, "stdin", InputKind.STDIN, 0)
    try:
        found = path.stat()
    except FileNotFoundError:
        raise InvalidInputError(
            f"{path}: no such file or folder" if folders else f"cannot read {path}: no such file"
        ) from None
    except OSError as error:
        raise InvalidInputError(f"cannot read {path}: {error.strerror or error}") from None
    mode = found.st_mode
    if stat.S_ISREG(mode):
        return Input(path, path.name, InputKind.FILE, found.st_size)
    if stat.S_ISFIFO(mode):
        return Input(path, path.name, InputKind.FIFO, 0)
    if stat.S_ISDIR(mode):
        if folders:
            return None
        raise InvalidInputError(f"{path} is a folder, not a file")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        raise InvalidInputError(f"{path} is a device, not a file")
    if stat.S_ISSOCK(mode):
        raise InvalidInputError(f"{path} is a socket, not a file")
    raise InvalidInputError(f"{path} is not a regular file")


def check_regular(source: Input, needs: str) -> None:
    """Refuse a FIFO or stdin where the reader needs to read a file more than once."""
    if source.kind is InputKind.FIFO:
        raise InvalidInputError(f"{source.path} is a FIFO: {needs}, give a regular file")
    if source.kind is InputKind.STDIN:
        raise InvalidInputError(f"stdin cannot be read here: {needs}, give a regular file")


class InputStream:
    """The bytes of an input, gunzipped when compressed, counted and hashed as they are read.

    `read` returns uncompressed bytes (the file protocol ijson and csv use); `raw_offset` is
    how far into the input itself reading has come (for progress); `sha256` reads what is
    left of the input and returns the hash of all its bytes.
    """

    def __init__(self, handle: IO[bytes], name: str, limits: InputLimits) -> None:
        self.name = name
        self.limits = limits
        self._handle = handle
        self._digest = hashlib.sha256()
        self._head = b""
        self.raw_offset = 0
        self.offset = 0
        self._gzip: gzip.GzipFile | None = None
        magic = self._raw_read(2)
        self._head = magic
        if magic == GZIP_MAGIC:
            self._gzip = gzip.GzipFile(fileobj=cast(IO[bytes], _RawView(self)), mode="rb")

    @property
    def compressed(self) -> bool:
        """Return whether the input is gzip-compressed."""
        return self._gzip is not None

    def read(self, size: int = -1) -> bytes:
        """Return up to `size` uncompressed bytes; b'' at the end."""
        if size is None or size < 0:
            size = READ_BLOCK
        if self._gzip is None:
            block = self.raw_read(size)
        else:
            try:
                block = self._gzip.read(size)
            except (OSError, EOFError, zlib.error) as error:
                raise InvalidInputError(
                    f"{self.name}: not a readable gzip file at byte {self.raw_offset} ({error})"
                ) from None
            self._check_ratio(len(block))
        self.offset += len(block)
        return block

    def readline(self, limit: int) -> bytes:
        """Return the next line, or at most `limit` bytes of it (the caller checks for b'\\n')."""
        if self._gzip is not None:
            try:
                line = self._gzip.readline(limit)
            except (OSError, EOFError, zlib.error) as error:
                raise InvalidInputError(
                    f"{self.name}: not a readable gzip file at byte {self.raw_offset} ({error})"
                ) from None
            self._check_ratio(len(line))
            self.offset += len(line)
            return line
        parts: list[bytes] = []
        size = 0
        while size < limit:
            block = self._peek_line(limit - size)
            if not block:
                break
            parts.append(block)
            size += len(block)
            if block.endswith(b"\n"):
                break
        line = b"".join(parts)
        self.offset += len(line)
        return line

    def _peek_line(self, limit: int) -> bytes:
        if not self._head:
            self._head = self._raw_read(min(READ_BLOCK, max(limit, 1)))
        end = self._head.find(b"\n", 0, limit)
        cut = end + 1 if end >= 0 else min(limit, len(self._head))
        line, self._head = self._head[:cut], self._head[cut:]
        return line

    def _check_ratio(self, size: int) -> None:
        expanded = self.offset + size
        if expanded > RATIO_FLOOR and expanded > self.limits.max_ratio * max(self.raw_offset, 1):
            raise InvalidInputError(
                f"{self.name}: the gzip data expands more than {self.limits.max_ratio} times "
                f"(to {expanded:,} bytes from the first {self.raw_offset:,}): refused as a "
                "possible decompression bomb"
            )

    def raw_read(self, size: int) -> bytes:
        """Return up to `size` bytes of the input itself (compressed or not)."""
        if self._head:
            block, self._head = self._head[:size], self._head[size:]
            # A whole first block: a byte-order mark must not be split by the sniffed bytes.
            return block + self._raw_read(size - len(block)) if len(block) < size else block
        return self._raw_read(size)

    def _raw_read(self, size: int) -> bytes:
        try:
            block = self._handle.read(size)
        except OSError as error:
            raise InvalidInputError(
                f"{self.name}: cannot read it at byte {self.raw_offset} ({error.strerror or error})"
            ) from None
        self._digest.update(block)
        self.raw_offset += len(block)
        return block

    def sha256(self) -> str:
        """Read the rest of the input and return the SHA-256 of all its bytes."""
        while self._raw_read(1 << 20):
            pass
        return self._digest.hexdigest()


class _RawView:
    """The raw side of an InputStream, as the file object gzip decompresses from."""

    def __init__(self, stream: InputStream) -> None:
        self._stream = stream

    def read(self, size: int = -1) -> bytes:
        return self._stream.raw_read(size if size > 0 else READ_BLOCK)


@contextmanager
def open_input(source: Input, limits: InputLimits) -> Iterator[InputStream]:
    """Open an input for one read from start to end."""
    if source.kind is InputKind.STDIN:
        yield InputStream(sys.stdin.buffer, source.name, limits)
        return
    try:
        # Opening a FIFO waits for its writer, as `cat` does.
        handle = source.path.open("rb")
    except OSError as error:
        raise InvalidInputError(f"cannot read {source.path}: {error.strerror or error}") from None
    with handle:
        yield InputStream(handle, source.name, limits)


@contextmanager
def local_copy(source: Input, limits: InputLimits) -> Iterator[tuple[Path, str]]:
    """Yield a regular file with the input's bytes, and their SHA-256.

    A regular file is used in place (hashed once); a FIFO or stdin is copied, in one read, to
    a temporary file of the same name, removed afterwards, for readers that need to read
    their input twice.
    """
    if not source.is_stream:
        with open_input(source, limits) as stream:
            yield source.path, stream.sha256()
        return
    with spool_errors(), tempfile.TemporaryDirectory(prefix="procwatch-input-") as folder:
        copy = Path(folder) / (source.name if source.kind is InputKind.FIFO else "stdin")
        with open_input(source, limits) as stream, copy.open("wb") as target:
            with spool_errors():
                while block := stream.raw_read(1 << 20):
                    target.write(block)
            sha = stream.sha256()
        yield copy, sha


def check_encoding(encoding: str) -> None:
    """Refuse an encoding name Python does not know."""
    import codecs

    try:
        codecs.lookup(encoding)
    except LookupError:
        raise InvalidInputError(
            f"unknown encoding {encoding!r}, e.g. utf-8, iso-8859-1, cp1252"
        ) from None


def zip_ratio_check(path: Path, name: str, limits: InputLimits) -> None:
    """Refuse a zip file (an XLSX workbook) whose members expand beyond the ratio bound."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            expanded = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # the workbook reader says what is wrong with it
    size = max(path.stat().st_size, 1)
    if expanded > RATIO_FLOOR and expanded > limits.max_ratio * size:
        raise InvalidInputError(
            f"{name}: the workbook expands more than {limits.max_ratio} times (to "
            f"{expanded:,} bytes from {size:,}): refused as a possible decompression bomb"
        )


def deeper_than(value: Any, limit: int) -> bool:
    """Return whether a parsed JSON value nests more than `limit` arrays and objects deep."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(item, dict):
            stack.extend(
                (child, depth + 1) for child in item.values() if isinstance(child, dict | list)
            )
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item if isinstance(child, dict | list))
    return False


@contextmanager
def spool_errors() -> Iterator[None]:
    """Turn a full or unwritable temporary folder into one error that says so."""
    import sqlite3

    try:
        yield
    except sqlite3.OperationalError as error:
        if "full" not in str(error) and "disk" not in str(error):
            raise
        raise _no_space(str(error)) from None
    except OSError as error:
        if error.errno not in (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES):
            raise
        raise _no_space(error.strerror or str(error)) from None


def _no_space(reason: str) -> SpoolError:
    folder = tempfile.gettempdir()
    return SpoolError(
        f"cannot write the temporary files of the import in {folder} ({reason}): "
        "free some space there or point TMPDIR at a larger folder; nothing was imported"
    )
