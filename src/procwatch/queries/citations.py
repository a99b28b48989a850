"""Citations: the source and the quote that support each record."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from procwatch import tables
from procwatch.store import chunked

if TYPE_CHECKING:
    from sqlalchemy import Connection


@dataclass(frozen=True)
class SourceRef:
    """A citation: the source and the sentence of it that supports a record.

    `source` is the seed source's key, or for a data file a label a person can read: the
    file's name, its publisher and publication date, the start of its SHA-256 and, for OCDS,
    the `ocid/release id`; the same facts are fields of their own.
    """

    source: str
    title: str
    quote: str | None
    locator: str | None = None
    publisher: str | None = None
    published: str | None = None
    sha256: str | None = None


# How much of a file's SHA-256 a label shows: enough to tell files apart, short to read.
SHA256_SHOWN = 12


def _label(
    key: str,
    title: str,
    publisher: str | None,
    published: str | None,
    sha256: str | None,
    locator: str | None,
) -> str:
    if not key.startswith("ocds:"):
        return key
    about = ", ".join(part for part in (publisher, published) if part)
    label = f"{title} ({about})" if about else title
    if sha256:
        label += f" sha256:{sha256[:SHA256_SHOWN]}"
    return f"{label} {locator}" if locator else label


def citations(
    connection: Connection, column: Any, ids: Iterable[int]
) -> dict[int, list[SourceRef]]:
    """Return the citations of the records whose `column` (a citations column) is in ids."""
    citation, source = tables.citations.c, tables.sources.c
    found: dict[int, list[SourceRef]] = defaultdict(list)
    id_list = list(ids)
    # Chunks keep the IN list under SQLite's bound-parameter limit on large result sets.
    for chunk in chunked(id_list):
        rows = connection.execute(
            select(
                column,
                source.key,
                source.title,
                citation.quote,
                citation.locator,
                source.publisher,
                source.published,
                source.sha256,
            )
            .join(tables.sources, source.id == citation.source_id)
            .where(column.in_(chunk))
            .order_by(citation.id)
        ).all()
        for subject, key, title, quote, locator, publisher, published, sha256 in rows:
            label = _label(key, title, publisher, published, sha256, locator)
            found[subject].append(
                SourceRef(label, title, quote, locator, publisher, published, sha256)
            )
    return found
