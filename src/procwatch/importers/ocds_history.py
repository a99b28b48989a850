"""What a process's later merges need: its releases, kept compactly, and which of them to merge.

A process is the merge of every release of it seen so far, by any import, in any order. The
releases are kept in `ocds_releases` as compressed canonical JSON (amounts as exact
decimals), one row per distinct release: the same release in two files is kept once.
"""

from __future__ import annotations

import hashlib
import zlib
from dataclasses import dataclass
from typing import Any

import simplejson

# zlib's fastest level: on the benchmark's releases the default (6) took twice the time for
# 8% fewer bytes.
COMPRESSION = 1


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
    """Return a release as canonical JSON: sorted keys, exact decimals, no spaces."""
    text: str = simplejson.dumps(release, use_decimal=True, sort_keys=True, separators=(",", ":"))
    return text.encode("ascii")


def digest(text: bytes) -> str:
    """Return the SHA-256 of a release's canonical JSON: equal releases, equal digests."""
    return hashlib.sha256(text).hexdigest()


def pack(text: bytes) -> bytes:
    """Return a release's canonical JSON compressed for keeping."""
    return zlib.compress(text, COMPRESSION)


def unpack(data: bytes) -> dict[str, Any]:
    """Return a kept release."""
    release: dict[str, Any] = simplejson.loads(zlib.decompress(data), use_decimal=True)
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
