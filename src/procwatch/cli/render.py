"""Render records as a Rich table, CSV, TSV, JSON or newline-delimited JSON, to the terminal
or a file."""

import dataclasses
import enum
import itertools
import json
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar

import typer

from procwatch.dates import format_period

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

T = TypeVar("T")


class OutputFormat(enum.StrEnum):
    """How a command prints its records."""

    table = "table"
    csv = "csv"
    tsv = "tsv"
    json = "json"
    # Newline-delimited JSON: one object a line, as sqlite-utils' --nl and jq -c read it.
    nl = "nl"


SEPARATORS = {OutputFormat.csv: ",", OutputFormat.tsv: "\t"}

FormatOption = Annotated[
    OutputFormat,
    typer.Option(
        "--format",
        "-f",
        help="Output format (nl: newline-delimited JSON, one record a line).",
        case_sensitive=False,
    ),
]
CsvSafeOption = Annotated[
    bool,
    typer.Option(
        "--csv-safe",
        help="In CSV and TSV, start cells a spreadsheet would run as a formula "
        "(= + - @ TAB CR) with a single quote. Default: the data byte for byte.",
    ),
]
VendorArgument = Annotated[str, typer.Argument(help="Vendor name or alias, e.g. Nuctech.")]
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Write to this file instead of the terminal (- for stdout).",
    ),
]

# A terminal table of thousands of rows takes Rich seconds to draw (17,000 contracts: 19 s)
# and nobody reads it: tables stop here unless --limit says otherwise; pipes get every row.
TABLE_ROWS = 100


# What a terminal would obey rather than show: C0 and C1 controls (ESC starts the sequences that
# clear a screen or retitle a window), DEL, and the bidirectional overrides and isolates that
# reorder the text around them. Newlines and TABs stay: Rich lays them out.
TERMINAL_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


# The flag that gives each setting library messages name (errors.SETTING).
FLAGS = {
    "authority": "--authority",
    "country": "--country",
    "date_order": "--date-order",
    "encoding": "--encoding",
    "kind": "--kind",
    "map": "--map",
    "preset": "--preset",
    "since": "--since",
    "skip_invalid": "--skip-invalid",
    "until": "--until",
}


def cli_terms(message: str) -> str:
    """Return a library message with each setting it names spelt as the flag that gives it."""
    from procwatch.errors import SETTING

    return SETTING.sub(lambda found: FLAGS.get(found[1], found[0]), message)


def make_console(handle: Any = None, *, stderr: bool = False) -> "Console":
    """Return a Rich console on a file, or on stdout (stderr); a closed pipe raises
    BrokenPipeError, and no text it prints can carry a control character."""
    from rich.console import Console
    from rich.segment import Segment

    class _Console(Console):
        # Rich exits 1 on a closed pipe; procwatch's root command ends quietly with 0 instead.
        def on_broken_pipe(self) -> None:
            self.quiet = True
            raise BrokenPipeError

        # Every printed renderable ends as segments: the one place where data's controls can
        # be removed whatever built them (Text keeps ESC). Rich's own codes are control
        # segments or styles, never text, and controls take no cells, so layout is unchanged.
        def render(self, renderable: Any, options: Any = None) -> Iterator[Segment]:
            for segment in super().render(renderable, options):
                if segment.control is None and TERMINAL_CONTROLS.search(segment.text):
                    text = TERMINAL_CONTROLS.sub("", segment.text)
                    yield Segment(text, segment.style, segment.control)
                else:
                    yield segment

    if handle is not None:
        return _Console(file=handle)
    return _Console(stderr=stderr)


def limit_option(text: str) -> Any:
    """Return the --limit/-n option of a command that prints many rows."""
    return typer.Option("--limit", "-n", min=0, help=text)


LimitOption = Annotated[
    int | None,
    limit_option(f"Show at most this many rows (tables: {TABLE_ROWS}, CSV and JSON: all). 0: all."),
]


@dataclass(frozen=True)
class Column:
    """A table column: its title and how to get its text from a record."""

    title: str
    value: Callable[[Any], object]
    justify: Literal["left", "right"] = "left"
    # Short values (dates, codes, amounts) stay on one line; long text wraps.
    no_wrap: bool = False
    # Shown only in terminals of WIDE columns or more: at 80, the columns that stay need
    # the room to be readable (the rest is in CSV and JSON).
    wide: bool = False


# Below this terminal width, tables leave out their `wide` columns.
WIDE = 100


# Values plain() hands back as they are, tested by exact type first: a million flags are
# 13 million values, and dataclasses.is_dataclass with fields() on each took a third of
# `flags -f csv`.
_AS_IS = frozenset({str, int, float, bool, type(None)})
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def plain(value: Any) -> Any:
    """Turn Decimals, dataclasses and containers into JSON-ready values (amounts as strings)."""
    kind = type(value)
    if kind in _AS_IS:
        return value
    names = _FIELD_NAMES.get(kind)
    if names is None and dataclasses.is_dataclass(kind):
        names = _FIELD_NAMES[kind] = tuple(field.name for field in dataclasses.fields(kind))
    if names is not None:
        return {name: plain(getattr(value, name)) for name in names}
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    return value


def period_text(start: str | None, end: str | None, undated: str = "") -> str:
    """Format a stored date or range at its precision: `2012`, `2018-2020`, `2024-03`."""
    return format_period(start, end) or undated


def issuer_text(code: str, origin: Any) -> str:
    """Say who issued a measure: "EBRD", or "EBRD for WBG" when it enforces WBG's decision."""
    return code if origin is None else f"{code} for {origin.code}"


def _csv_cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return "; ".join(dict.fromkeys(_source_text(item) for item in value))
    if isinstance(value, dict) and set(value) == {"code", "name", "kind"}:
        # An issuer: a CSV cell says its code and kind, "WBG (international)".
        return f"{value['code']} ({value['kind']})"
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else value


def _source_text(item: Any) -> str:
    if isinstance(item, dict) and "source" in item:
        return str(item["source"])
    if isinstance(item, dict) and "description" in item:
        amount = f" ({item['amount']} {item['currency']})" if item.get("amount") else ""
        return f"{item['kind']}: {item['description']}{amount}"
    return str(item)


def render(
    records: Iterable[Any],
    columns: Sequence[Column],
    fmt: OutputFormat,
    output: Path | None,
    *,
    title: str | None = None,
    record_type: type | None = None,
    limit: int | None = None,
    caption: str | None = None,
    hide: Collection[str] = (),
    csv_safe: bool = False,
) -> None:
    """Print records in a format; CSV, TSV and JSON carry every field, the table the columns.

    The table leaves out the `hide` columns (what the query fixed, stated in the title) and
    prints a caption (a report's date and origin) under it. When nothing matched, stderr says
    so while stdout keeps its empty table, `[]` or header-only CSV. Records may be an
    iterator: every format but the table writes them as they come, holding one at a time.
    """
    from rich.text import Text

    from procwatch.output import open_output

    if fmt is not OutputFormat.table:
        shown = itertools.islice(records, limit or None)
        with open_output(output) as handle:
            written = write_records(shown, fmt, handle, record_type=record_type, safe=csv_safe)
        if not written and title:
            say_nothing_matched(title)
        return
    every = records if isinstance(records, Sequence) else list(records)
    rows = shown_rows(every, fmt, limit)
    if not every and title:
        say_nothing_matched(title)
    with open_output(output) as handle:
        console = make_console(handle if output else None)
        table = build_table(every, columns, title, rows=len(rows), hide=hide, width=console.width)
        console.print(table)
        print_shown(console, len(rows), len(every))
        if caption:
            # One line however narrow the terminal: the terminal wraps it, not Rich.
            console.print(Text(caption), soft_wrap=True)


# Rows per CSV batch: csvtext joins a batch's columns at once; more only holds more memory.
CSV_BATCH = 2_000


def write_records(
    records: Iterable[Any],
    fmt: OutputFormat,
    handle: Any,
    *,
    record_type: type | None = None,
    safe: bool = False,
) -> int:
    """Write records as CSV, TSV, a JSON array or JSON lines as they come; return how many."""
    from procwatch.csvtext import csv_line, csv_lines

    items = map(plain, records)
    if fmt is OutputFormat.json:
        return write_json_array(items, handle)
    if fmt is OutputFormat.nl:
        count = 0
        for item in items:
            handle.write(json.dumps(item, ensure_ascii=False) + "\n")
            count += 1
        return count
    separator = SEPARATORS[fmt]
    first = next(items, None)
    if record_type is not None:
        fields = [field.name for field in dataclasses.fields(record_type)]
    else:
        fields = list(first) if first is not None else []
    handle.write(csv_line(fields, separator=separator, safe=safe))
    if first is None:
        return 0
    count = 0
    rows = itertools.chain([first], items)
    while batch := [
        [_csv_cell(row.get(name)) for name in fields] for row in itertools.islice(rows, CSV_BATCH)
    ]:
        handle.write(csv_lines(batch, separator=separator, safe=safe))
        count += len(batch)
    return count


def write_json_array(items: Iterable[Any], handle: Any) -> int:
    """Write JSON-ready items as an indented array, one at a time; return how many.

    The text is json.dump(list(items), indent=2)'s, without holding the list: 200,000
    contracts took 541 MB as one list. JSON strings hold no raw newline, so indenting an
    item's lines by two spaces nests it exactly as json.dump does.
    """
    count = 0
    for item in items:
        handle.write("[\n  " if count == 0 else ",\n  ")
        handle.write(json.dumps(item, indent=2, ensure_ascii=False).replace("\n", "\n  "))
        count += 1
    handle.write("\n]\n" if count else "[]\n")
    return count


def shown_rows(records: Sequence[T], fmt: OutputFormat, limit: int | None) -> Sequence[T]:
    """Return the records to print: --limit of them (0: all), or TABLE_ROWS in a table."""
    if limit is None and fmt is OutputFormat.table:
        limit = TABLE_ROWS
    return records[:limit] if limit else records


def print_shown(console: "Console", shown: int, total: int) -> None:
    """Say under a table how many rows it leaves out, and how to see them."""
    if shown < total:
        console.print(
            f"Showing {shown:,} of {total:,} rows: --limit 0 shows them all, "
            "-f csv writes every field.",
            markup=False,
            highlight=False,
        )


def say_nothing_matched(title: str) -> None:
    """Say on stderr that a query matched nothing, naming the query by its title."""
    # Not through Rich, so its control filter: the title may hold a stored name.
    title = TERMINAL_CONTROLS.sub("", title)
    typer.echo(f"Nothing matched: {title[0].lower()}{title[1:]}.", err=True)


def build_table(
    records: Sequence[Any],
    columns: Sequence[Column],
    title: str | None,
    *,
    rows: int | None = None,
    hide: Collection[str] = (),
    width: int | None = None,
) -> "Table":
    """Return a Rich table of the first `rows` records (all by default).

    It leaves out the `hide` columns, and the `wide` ones in a terminal narrower than WIDE.
    """
    from rich.table import Table
    from rich.text import Text

    # Text, not str: Rich would read data as markup and emoji codes, so a vendor named
    # "[bold]" would vanish, and parsing every cell costs a fifth of the table's rendering.
    narrow = width is not None and width < WIDE
    shown = [c for c in columns if c.title not in hide and not (narrow and c.wide)]
    table = Table(title=None if title is None else Text(title, style="table.title"))
    for column in shown:
        table.add_column(Text(column.title), justify=column.justify, no_wrap=column.no_wrap)
    for record in records[:rows]:
        table.add_row(*(Text(_cell(column.value(record))) for column in shown))
    return table


def _cell(value: object) -> str:
    return "" if value is None else str(value)


def write_json(value: Any, output: Path | None, *, indent: int | None = 2) -> None:
    """Write one value as JSON (amounts as strings) to a file or stdout; indent None: one line."""
    from procwatch.output import open_output

    with open_output(output) as handle:
        json.dump(plain(value), handle, indent=indent, ensure_ascii=False)
        handle.write("\n")
