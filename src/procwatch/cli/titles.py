"""Table titles that state the query: "Contracts of Nuctech Company Limited in Georgia, 2019
and later", never a guess from the rows."""

from collections.abc import Sequence
from typing import Any


def named(records: Sequence[Any], attribute: str, asked: str) -> str:
    """Return the name all records share for a filter (the resolved name), else as asked."""
    names = {getattr(record, attribute) for record in records}
    return names.pop() if len(names) == 1 else asked


def period_phrase(since: str | None, until: str | None) -> str:
    """Say a --since/--until range: `2019 and later`, `until 2020`, `2019 to 2020`, `2020`."""
    if since and until:
        return since if since == until else f"{since} to {until}"
    if since:
        return f"{since} and later"
    return f"until {until}" if until else ""


def query_title(
    what: str,
    records: Sequence[Any],
    *,
    vendor: str | None = None,
    country: str | None = None,
    buyer: str | None = None,
    since: str | None = None,
    until: str | None = None,
    of: str = "of",
) -> str:
    """Return a listing's title from its filters, names resolved where the rows agree."""
    title = what
    if vendor:
        title += f" {of} {named(records, 'vendor', vendor)}"
    if buyer:
        title += f" bought by buyers named like {buyer!r}"
    if country:
        # A union's list holds its members' rows too: name what was asked for then.
        title += f" in {named(records, 'country_name', country)}"
    period = period_phrase(since, until)
    return f"{title}, {period}" if period else title
