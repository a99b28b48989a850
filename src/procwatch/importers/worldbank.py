"""The World Bank's "Debarred Firms and Individuals", as XLSX or CSV (`--preset worldbank`)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from procwatch.domain import MeasureKind
from procwatch.domain.records import Warn
from procwatch.errors import InvalidInputError
from procwatch.importers.cleaning import vendor_kind_of
from procwatch.importers.columns import (
    Preset,
    Progress,
    RawEntry,
    TableLayout,
    header_cells,
    mapped_entries,
    shown,
    table_rows,
)

# The sheet opens with title and note rows; the header is the row naming "Firm Name".
HEADER_WITHIN = 20
# Each field and the header texts (casefolded) that name its column.
COLUMNS = {
    "name": ("firm name",),
    "info": ("additional firm info",),
    "address": ("address",),
    "vendor_country": ("country",),
    "start": ("from", "from date", "ineligibility period from", "from date (ineligibility period)"),
    "end": ("to", "to date", "ineligibility period to", "to date (ineligibility period)"),
    "reason": ("grounds",),
}
REQUIRED = ("name", "vendor_country", "start", "end", "reason")
EXPECTED = "a header row with Firm Name, Address, Country, From, To and Grounds"
# The bank writes 2999 (a year no debarment reaches) for a permanent debarment.
PERMANENT_YEAR = 2999
_ALIAS_MARK = re.compile(
    r"^\s*(?:a\.?k\.?a\.?|also known as|f/?k/?a|formerly known as|formerly|previously"
    r"|d/?b/?a|doing business as|trading as|name change from)\s*[:.,-]?\s*",
    re.IGNORECASE,
)
# A footnote mark after a name ("ACME LTD.*") refers to the list's notes, not the name.
_FOOTNOTE = re.compile(r"\s*\*+\s*\d*\s*$")


def read(
    path: Path, layout: TableLayout, warn: Warn, progress: Progress | None
) -> Iterator[RawEntry]:
    """Find the header below the title rows, join its two rows and yield the firms' rows."""
    rows = table_rows(path, layout, progress)
    header: list[str] | None = None
    first: Sequence[Any] = ()
    for index, (_, cells) in enumerate(rows):
        if index == 0:
            first = cells
        if any(cell.casefold() == "firm name" for cell in header_cells(cells)):
            header = header_cells(cells)
            break
        if index + 1 >= HEADER_WITHIN:
            break
    if header is None:
        raise InvalidInputError(
            f"{path.name}: expected the World Bank's debarred firms list ({EXPECTED} within "
            f"the first {HEADER_WITHIN} rows); found {shown(header_cells(first))}"
        )
    second = next(rows, None)
    data: Iterator[tuple[int, list[Any]]] = rows
    if second is not None:
        below = header_cells(second[1])
        if _is_subheader(below):
            # "Ineligibility Period" spans two columns whose own names, From and To, are
            # in the row below it: the lower name of a column is the one that says what it is.
            header = [
                low or high for high, low in zip(header, _padded(below, len(header)), strict=True)
            ]
        else:
            data = _chain(second, rows)
    mapping = _mapping(path, header)
    yield from mapped_entries(path, data, header, mapping, warn)


def _is_subheader(cells: list[str]) -> bool:
    words = {cell.casefold() for cell in cells if cell}
    return bool(words) and words <= {"from", "to", "from date", "to date"}


def _padded(cells: list[str], width: int) -> list[str]:
    return (cells + [""] * width)[:width]


def _chain(
    first: tuple[int, list[Any]], rest: Iterator[tuple[int, list[Any]]]
) -> Iterator[tuple[int, list[Any]]]:
    yield first
    yield from rest


def _mapping(path: Path, header: list[str]) -> dict[str, str]:
    folded = [cell.casefold() for cell in header]
    mapping = {}
    for field, names in COLUMNS.items():
        for name in names:
            if name in folded:
                mapping[field] = str(folded.index(name) + 1)
                break
    missing = [field for field in REQUIRED if field not in mapping]
    if missing:
        raise InvalidInputError(
            f"{path.name}: expected the World Bank's debarred firms list ({EXPECTED}); "
            f"found the header {shown(header)}"
        )
    return mapping


def adapt(entry: RawEntry, warn: Warn) -> RawEntry | None:
    """Fill in the issuer and kind, split the firm's other names, read 2999 as permanent."""
    values = dict(entry.values)
    name = _FOOTNOTE.sub("", entry.text("name"))
    values["name"] = name
    values["aliases"] = _aliases(entry.text("info"), warn)
    values["country"] = "WBG"
    values["authority"] = "World Bank Group"
    values["kind"] = MeasureKind.BAN.value
    values["list"] = "worldbank"
    values["id_scheme"] = ""
    values["vendor_kind"] = vendor_kind_of(name).value
    values["quote"] = None
    end = values.get("end")
    permanent = isinstance(end, date) and end.year == PERMANENT_YEAR
    if permanent or re.search(rf"\b{PERMANENT_YEAR}\b", str(end or "")):
        values["end"] = None
    return RawEntry(locator=entry.locator, values=values)


def _aliases(info: str, warn: Warn) -> list[str]:
    # "AKA: Orion Scan; formerly Orion Imaging Co." -> two names; anything else in the
    # column (a registration note) is not a name and is counted, not stored.
    aliases = []
    for part in re.split(r"[;\n]", info):
        text = part.strip(" ,;")
        if not text:
            continue
        marked = _ALIAS_MARK.match(text)
        if marked:
            aliases.append(_FOOTNOTE.sub("", text[marked.end() :]).strip(" ,;"))
        else:
            warn("Additional Firm Info without an a.k.a. or formerly; not read as a name")
    return [alias for alias in aliases if alias]


PRESET = Preset(
    name="worldbank",
    description="World Bank Group, Debarred Firms and Individuals (XLSX or CSV)",
    layout=TableLayout(mapping={}, header=False),
    adapt=adapt,
    publisher="World Bank Group",
    signature=frozenset(["Firm Name", "Additional Firm Info", "Grounds"]),
    url="https://www.worldbank.org/en/projects-operations/procurement/debarred-firms",
    reader=read,
)
