"""What a process's later merges need: its releases, kept compactly, and which of them to merge.

A process is the merge of every release of it seen so far, by any import, in any order. The
releases are kept in `ocds_releases` as compressed JSON (amounts as exact
decimals), one row per distinct release: the same release in two files is kept once.
"""

from __future__ import annotations

import hashlib
import zlib
from dataclasses import dataclass
from typing import Any

import simplejson

# Raw deflate with a 4 KB window and little memory: zlib's defaults spend 55-90 us setting up
# 256 KB of state for each release of a few hundred bytes; these settings take 9 us and
# compress the benchmark's 653-byte releases to 323 bytes, as well as the defaults do.
COMPRESSION = 6
WINDOW_BITS = -12
MEMORY_LEVEL = 4


@dataclass(frozen=True)
class KeptRelease:
    """One release of a process, where it came from, and whether it is a publisher's merge."""

    digest: str
    release: dict[str, Any]
    # The sources row of the file it was read from (None for a file that is gone).
    source_id: int | None
    # A record's compiledRelease: the publisher's own merge of the releases it had then.
    compiled: bool = False

    @property
    def date(self) -> str:
        """Return the release's date as published (OCDS requires one)."""
        return str(self.release.get("date") or "")


def canonical(release: dict[str, Any]) -> bytes:
    """Return a release as compact JSON: its members in published order, exact decimals.

    Not sorted: a release published twice is the same text, so the same JSON, and sorting
    cost a third more time.
    """
    text: str = simplejson.dumps(release, use_decimal=True, separators=(",", ":"))
    return text.encode("ascii")


def digest(text: bytes) -> str:
    """Return the SHA-256 of a release's compact JSON: equal releases, equal digests."""
    return hashlib.sha256(text).hexdigest()


def pack(text: bytes) -> bytes:
    """Return a release's compact JSON compressed for keeping."""
    packer = zlib.compressobj(COMPRESSION, zlib.DEFLATED, WINDOW_BITS, MEMORY_LEVEL)
    return packer.compress(text) + packer.flush()


def unpack(data: bytes) -> dict[str, Any]:
    """Return a kept release."""
    release: dict[str, Any] = simplejson.loads(zlib.decompress(data, WINDOW_BITS), use_decimal=True)
    return release


def to_merge(kept: list[KeptRelease]) -> list[KeptRelease]:
    """Return the releases whose merge is the process: each once, oldest first.

    A record's compiledRelease is its publisher's merge: the newest one stands for every
    release up to its date, and only releases newer than it are merged on top of it. Equal
    dates are ordered by digest, so that the merge does not depend on which import brought
    which release first.
    """
    distinct = list({item.digest: item for item in kept}.values())
    compiled = [item for item in distinct if item.compiled]
    if compiled:
        newest = max(compiled, key=lambda item: (item.date, item.digest))
        distinct = [newest] + [
            item for item in distinct if not item.compiled and item.date > newest.date
        ]
    return sorted(distinct, key=lambda item: (item.date, item.digest))
