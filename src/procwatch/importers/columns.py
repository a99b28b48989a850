"""Read the rows of a CSV or XLSX list and pick their cells through a column mapping."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from procwatch.domain.records import Warn
from procwatch.errors import InvalidInputError
from procwatch.importers.inputs import InputLimits, zip_ratio_check

# The fields a column can be mapped to (--map FIELD=COLUMN); see docs/import-measures.md.
FIELDS = (
    "key",
    "name",
    "aliases",
    "identifiers",
    "id",
    "vendor_country",
    "country",
    "authority",
    "kind",
    "program",
    "scope",
    "legal_basis",
    "reason",
    "start",
    "end",
    "places",
    "quote",
    # Whose decision a cross-debarment enforces: an issuer's code or name ("World Bank").
    "origin",
    # When the list published or listed the measure.
    "listed",
    "vendor_kind",
)


def parse_mapping(pairs: Sequence[str], fields: Sequence[str] = FIELDS) -> dict[str, str]:
    """Read `FIELD=COLUMN` pairs (the --map option) into a mapping, checking the field names."""
    mapping: dict[str, str] = {}
    for pair in pairs:
        name, equals, column = pair.partition("=")
        name = name.strip()
        if not equals or not column.strip():
            raise InvalidInputError(f"`map` {pair!r}: expected FIELD=COLUMN")
        if name not in fields:
            raise InvalidInputError(
                f"`map` {pair!r}: unknown field {name!r}; fields: {', '.join(fields)}"
            )
        mapping[name] = column.strip()
    return mapping


Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class TableLayout:
    """Where a table's data starts, which column holds each field, and how large a row may be."""

    mapping: Mapping[str, str]
    skip_rows: int = 0
    header: bool = True
    encoding: str = "utf-8-sig"
    sheet: str | None = None
    limits: InputLimits = field(default_factory=InputLimits)


@dataclass
class RawEntry:
    """One row of a list: its field values as text (or cell values) and where it was read."""

    locator: str
    values: dict[str, Any]

    def text(self, field: str) -> str:
        """Return a field's value as stripped text ('' when absent)."""
        value = self.values.get(field)
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return " ".join(str(value).split())

    def free_text(self, field: str) -> str:
        """Return a field's text as text() does, but keep a leading TAB or CR: it is data.

        Spreadsheet-safe files start a cell with a TAB so that `=1+1` is read as text; an
        import that stripped it turned `\t=1+1` into a formula for the next spreadsheet.
        """
        text = self.text(field)
        value = self.values.get(field)
        if text and isinstance(value, str) and value[:1] in ("\t", "\r"):
            return value[0] + text
        return text


Rows = Generator[tuple[int, list[Any]]]


def read_table(
    path: Path, layout: TableLayout, warn: Warn, progress: Progress | None = None
) -> Iterator[RawEntry]:
    """Yield the mapped rows of a CSV, TSV or XLSX file; a broken file raises InvalidInputError."""
    lines = table_rows(path, layout, progress)
    for _ in range(layout.skip_rows):
        next(lines, None)
    header: list[str] | None = None
    if layout.header:
        # Blank lines above the header (the EBRD's export starts with one) are no header.
        first = next((row for row in lines if any(header_cells(row[1]))), None)
        if first is None:
            raise InvalidInputError(f"{path.name}: the file is empty, no header row")
        header = header_cells(first[1])
    yield from mapped_entries(path, lines, header, layout.mapping, warn)


def header_cells(cells: Sequence[Any]) -> list[str]:
    """Return a header row's cells as stripped text (a byte-order mark and spaces removed)."""
    return [" ".join(str(cell or "").lstrip("\ufeff").split()) for cell in cells]


def mapped_entries(
    path: Path,
    rows: Iterable[tuple[int, list[Any]]],
    header: Sequence[str] | None,
    mapping: Mapping[str, str],
    warn: Warn,
) -> Iterator[RawEntry]:
    """Yield the non-empty rows as entries whose fields are picked by the column mapping."""
    columns = {field: _column_index(path, column, header) for field, column in mapping.items()}
    width = len(header) if header is not None else None
    for number, cells in rows:
        if not any(str(cell or "").strip() for cell in cells):
            continue
        if width is not None and len(cells) != width:
            warn(f"rows with {len(cells)} cells where the header has {width}; missing cells empty")
        values = {
            field: (cells[index] if index < len(cells) else None)
            for field, index in columns.items()
        }
        yield RawEntry(locator=f"row {number}", values=values)


def entries_below_header(
    path: Path,
    layout: TableLayout,
    columns: Mapping[str, str],
    expected: str,
    warn: Warn,
    progress: Progress | None,
) -> Iterator[RawEntry]:
    """Yield a list's mapped rows below its header, the first non-empty row.

    A header missing one of `columns` (matched case-blind) means another file: refused,
    saying which list was expected (`expected`) and what the header holds.
    """
    rows = table_rows(path, layout, progress)
    header: list[str] = []
    for _, cells in rows:
        header = header_cells(cells)
        if any(header):
            break
    folded = {cell.casefold() for cell in header}
    if any(column.casefold() not in folded for column in columns.values()):
        wanted = ", ".join(columns.values())
        raise InvalidInputError(
            f"{path.name}: expected {expected} (a header with {wanted}); found {shown(header)}"
        )
    yield from mapped_entries(path, rows, header, columns, warn)


def table_rows(path: Path, layout: TableLayout, progress: Progress | None = None) -> Rows:
    """Yield each row of a CSV, TSV or XLSX file with its number as a spreadsheet shows it.

    A CSV record whose quoted cells hold newlines is one row, as in a spreadsheet; the
    numbers count records (the header is row 1), not the file's physical lines.
    """
    if is_xlsx(path):
        return _xlsx_rows(path, layout, progress)
    return _csv_rows(path, layout, progress)


def is_xlsx(path: Path) -> bool:
    """Return whether a file is an XLSX workbook (by name, else by its zip signature)."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return True
    with path.open("rb") as handle:
        return handle.read(4) == b"PK\x03\x04"


def _column_index(path: Path, column: str, header: Sequence[str] | None) -> int:
    wanted = column.strip()
    if header is not None:
        if wanted in header:
            return header.index(wanted)
        folded = [cell.casefold() for cell in header]
        if wanted.casefold() in folded:
            return folded.index(wanted.casefold())
    number = wanted.removeprefix("#")
    if number.isdigit() and int(number) >= 1:
        return int(number) - 1
    if header is None:
        raise InvalidInputError(
            f"{path.name}: without a header, columns are numbers (1 is the first), not {column!r}"
        )
    raise InvalidInputError(
        f"{path.name}: no column {column!r} in the header ({', '.join(header)})"
    )


def _csv_rows(
    path: Path, layout: TableLayout, progress: Progress | None
) -> Generator[tuple[int, list[Any]]]:
    total = path.stat().st_size
    encoding = layout.encoding
    with path.open("rb") as raw:
        text = io.TextIOWrapper(raw, encoding=encoding, newline="")
        try:
            sample = text.read(64 * 1024)
        except UnicodeDecodeError as error:
            raise _not_encoded(path, encoding, error) from None
        except UnicodeError as error:
            raise InvalidInputError(f"{path.name} is not {encoding} text ({error})") from None
        if looks_like_xml(sample):
            raise InvalidInputError(
                f"{path.name} is XML, not CSV; for the UN list use `preset` un-sc"
            )
        dialect = _dialect(path, sample)
        text.seek(0)
        lines = _CheckedLines(text, path.name, layout.limits)
        reader = csv.reader(lines, dialect)
        try:
            for number, cells in enumerate(reader, start=1):
                lines.row_read()
                if progress is not None and number % 1000 == 0:
                    progress(min(raw.tell(), total), total)
                yield number, cells
        except UnicodeDecodeError as error:
            raise _not_encoded(path, encoding, error) from None
        except UnicodeError as error:
            raise InvalidInputError(f"{path.name} is not {encoding} text ({error})") from None
        except csv.Error as error:
            raise InvalidInputError(f"{path.name} line {reader.line_num}: {error}") from None
    if progress is not None:
        progress(total, total)


class _CheckedLines:
    """A text file's lines for csv.reader, refusing NUL bytes and rows over the size limit.

    csv.reader keeps NUL bytes as data since Python 3.11, and holds a row whole however
    long its line or quoted cells; both are checked here, line by line, before it sees them.
    """

    def __init__(self, text: io.TextIOWrapper, name: str, limits: InputLimits) -> None:
        self._text = text
        self._name = name
        self._limits = limits
        self._number = 0
        self._row = 0
        self._cells = 0

    def __iter__(self) -> _CheckedLines:
        return self

    def __next__(self) -> str:
        limit = self._limits.max_item_bytes
        line = self._text.readline(limit + 1)
        if not line:
            raise StopIteration
        self._number += 1
        if "\x00" in line:
            raise InvalidInputError(
                f"{self._name} is not a text CSV file (it contains NUL bytes, "
                f"first on line {self._number})"
            )
        self._row += len(line)
        self._cells += line.count(",") + line.count(";") + line.count("\t")
        if self._row > limit or self._cells > self._limits.max_item_values:
            raise InvalidInputError(
                f"{self._name} line {self._number}: a row {self._limits.item_too_large()}"
            )
        return line

    def row_read(self) -> None:
        """Start counting the next row's size."""
        self._row = 0
        self._cells = 0


def looks_like_xml(sample: str) -> bool:
    """Return whether text starts as an XML document does (a declaration or a tag)."""
    start = sample.lstrip("\ufeff \t\r\n")
    return start.startswith("<?xml") or (
        start.startswith("<") and len(start) > 1 and (start[1].isalpha() or start[1] in "!_")
    )


def _dialect(path: Path, sample: str) -> type[csv.Dialect] | csv.Dialect:
    if path.suffix.lower() == ".tsv":
        return csv.excel_tab
    first_line = sample.splitlines()[0] if sample else ""
    if first_line.count("\t") > first_line.count(",") and first_line.count("\t") > 0:
        return csv.excel_tab
    if first_line.count(";") > first_line.count(",") and first_line.count(";") > 0:

        class Semicolon(csv.excel):
            delimiter = ";"

        return Semicolon
    return csv.excel


def _not_encoded(path: Path, encoding: str, error: UnicodeDecodeError) -> InvalidInputError:
    name = "UTF-8" if encoding.replace("-", "").lower().startswith("utf8") else encoding
    return InvalidInputError(
        f"{path.name} is not {name} text (byte {error.start} of a block cannot be decoded);"
        " give its encoding with `encoding`, e.g. `encoding` cp1252"
    )


def _xlsx_rows(
    path: Path, layout: TableLayout, progress: Progress | None
) -> Generator[tuple[int, list[Any]]]:
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    sheet = layout.sheet
    zip_ratio_check(path, path.name, layout.limits)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise InvalidInputError(f"{path.name} is not a readable XLSX workbook ({error})") from None
    try:
        if sheet is not None and sheet not in workbook.sheetnames:
            raise InvalidInputError(
                f"{path.name} has no sheet {sheet!r} (sheets: {', '.join(workbook.sheetnames)})"
            )
        worksheet = workbook[sheet] if sheet is not None else workbook.worksheets[0]
        # The declared size is for progress only: real workbooks declare a wrong one (the
        # World Bank's says A1:A1288 for seven columns), and read-only mode would read only
        # that range; reset, it reads every cell the sheet holds.
        total = worksheet.max_row or 0
        if isinstance(worksheet, ReadOnlyWorksheet):
            worksheet.reset_dimensions()
        # A sheet stores no empty cells at a row's end: a row is as wide as the widest so far
        # (the header's), as a spreadsheet shows it, not short of cells.
        width = 0
        for number, row in enumerate(worksheet.iter_rows(values_only=True), start=1):
            if progress is not None and number % 1000 == 0:
                progress(number, total)
            cells = [_cell(value) for value in row]
            width = max(width, len(cells))
            yield number, cells + [None] * (width - len(cells))
        if progress is not None:
            progress(total, total)
    finally:
        workbook.close()


def _cell(value: Any) -> Any:
    # Dates stay date objects (the date parser takes them at day precision); the rest is text.
    if value is None or isinstance(value, (date, datetime)):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@dataclass(frozen=True)
class Preset:
    """A known list's published layout and how its rows become procwatch fields."""

    name: str
    description: str
    layout: TableLayout
    # Fills fields the list states indirectly (its list code, kind, authority); None skips a row.
    adapt: Callable[[RawEntry, Warn], RawEntry | None]
    publisher: str | None = None
    # Columns whose presence in a header tells that a file is this list (for a helpful error).
    signature: frozenset[str] = frozenset()
    # Where the publisher distributes the file (docs/import-measures.md cites it).
    url: str | None = None
    # Reads a file whose shape read_table does not know (title rows, no header, XML).
    reader: Callable[[Path, TableLayout, Warn, Progress | None], Iterator[RawEntry]] | None = None

    def read(
        self, path: Path, layout: TableLayout, warn: Warn, progress: Progress | None = None
    ) -> Iterator[RawEntry]:
        """Yield the list's rows as entries with every field the preset fills in."""
        rows = (self.reader or read_table)(path, layout, warn, progress)
        return (entry for row in rows if (entry := self.adapt(row, warn)) is not None)


def shown(cells: Sequence[Any], limit: int = 8) -> str:
    """Return a row's first cells as a refusal message shows what was found."""
    texts = [
        " ".join(str(cell).split()) for cell in cells if cell is not None and str(cell).strip()
    ]
    if not texts:
        return "an empty row"
    return ", ".join(texts[:limit]) + (", ..." if len(texts) > limit else "")


def header_of(path: Path, layout: TableLayout) -> list[str]:
    """Return the stripped header cells of a table file (after the rows to skip)."""
    rows = table_rows(path, layout)
    try:
        for index, (_, cells) in enumerate(rows):
            # As read_table: blank lines above the header are no header.
            if index >= layout.skip_rows and any(header := header_cells(cells)):
                return header
        return []
    finally:
        rows.close()
