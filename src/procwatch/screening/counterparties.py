"""Read a supplier list to screen: a CSV or XLSX of counterparties, one a row, never stored."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from procwatch.domain.records import Warn
from procwatch.errors import InvalidInputError
from procwatch.importers.cleaning import clean_name, parse_list_date, split_identifiers
from procwatch.importers.columns import TableLayout, header_of, read_table
from procwatch.importers.inputs import InputLimits, find_input, local_copy
from procwatch.resolve import country_code

# The fields a column can be mapped to (--map FIELD=COLUMN), and the header names that find
# each without a mapping, compared case-blind: those of tender, payment and leak exports.
HEADERS: dict[str, tuple[str, ...]] = {
    "name": (
        "name",
        "counterparty",
        "supplier",
        "supplier name",
        "vendor",
        "vendor name",
        "bidder",
        "bidder name",
        "company",
        "company name",
        "firm",
        "firm name",
        "contractor",
        "entity",
        "organisation",
        "organization",
        "legal name",
    ),
    "country": ("country", "country code", "vendor country", "supplier country", "nationality"),
    "identifiers": (
        "identifiers",
        "identifier",
        "ids",
        "id",
        "registration number",
        "company number",
        "tax id",
    ),
    "date": (
        "date",
        "contract date",
        "tender date",
        "award date",
        "date signed",
        "signed",
        "as of",
    ),
}
FIELDS = tuple(HEADERS)


@dataclass(frozen=True)
class Counterparty:
    """One row of a supplier list: a name, and what else the row says about it."""

    row: int
    name: str
    country: str | None
    identifiers: tuple[tuple[str, str], ...]
    # The contract or tender date to screen at, at the precision the row gave.
    date: str | None


def read_counterparties(
    path: Path,
    warn: Warn,
    mapping: Mapping[str, str] | None = None,
    *,
    sheet: str | None = None,
    encoding: str = "utf-8-sig",
) -> list[Counterparty]:
    """Return the counterparties of a CSV or XLSX file, columns by header name or `mapping`.

    A row without a name is a counted warning; so is a country, identifier or date that
    does not read (the row is kept, without it). A path of '-' is stdin.
    """
    source = find_input(path)
    assert source is not None
    with local_copy(source, InputLimits()) as (local, _):
        return _read(local, warn, mapping, TableLayout(mapping={}, sheet=sheet, encoding=encoding))


def _read(
    path: Path, warn: Warn, mapping: Mapping[str, str] | None, layout: TableLayout
) -> list[Counterparty]:
    header = header_of(path, layout)
    columns = dict(mapping or {}) or _guess(header)
    if "name" not in columns:
        raise InvalidInputError(
            f"{path.name}: no name column (looked for {', '.join(HEADERS['name'][:6])}, ...); "
            f"found {', '.join(header) or 'no header'}; give `map` name=COLUMN"
        )
    found = []
    for entry in read_table(path, replace(layout, mapping=columns), warn):
        name = clean_name(entry.text("name"), warn)
        if not name:
            warn("rows without a name; skipped")
            continue
        country = None
        if text := entry.text("country"):
            country = country_code(text)
            if country is None:
                warn(f"country {text!r} not recognised; screened without a country")
        when = parse_list_date(entry.values.get("date"), field="date", warn=warn)
        found.append(
            Counterparty(
                row=int(entry.locator.removeprefix("row ")),
                name=name,
                country=country,
                identifiers=tuple(split_identifiers(entry.text("identifiers"), warn)),
                date=None if when is None else str(when),
            )
        )
    return found


def _guess(header: Sequence[str]) -> dict[str, str]:
    folded = {" ".join(cell.casefold().replace("_", " ").split()): cell for cell in header}
    columns = {}
    for field, names in HEADERS.items():
        column = next((folded[name] for name in names if name in folded), None)
        if column is not None:
            columns[field] = column
    return columns
