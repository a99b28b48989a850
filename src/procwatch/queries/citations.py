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
    """A citation: the source and the sentence of it that supports a record."""

    source: str
    title: str
    quote: str | None
    locator: str | None = None


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
            select(column, source.key, source.title, citation.quote, citation.locator)
            .join(tables.sources, source.id == citation.source_id)
            .where(column.in_(chunk))
            .order_by(citation.id)
        ).all()
        for subject, key, title, quote, locator in rows:
            found[subject].append(SourceRef(key, title, quote, locator))
    return found
