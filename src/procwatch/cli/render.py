"""Render records as a Rich table, CSV or JSON, to the terminal or a file."""

import csv
import dataclasses
import enum
import json
from collections.abc import Callable, Collection, Sequence
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
    json = "json"


FormatOption = Annotated[
    OutputFormat, typer.Option("--format", "-f", help="Output format.", case_sensitive=False)
]
VendorArgument = Annotated[str, typer.Argument(help="Vendor name or alias, e.g. Nuctech.")]
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Write to this file instead of the terminal (- for stdout).",
        dir_okay=False,
    ),
]

# A terminal table of thousands of rows takes Rich seconds to draw (17,000 contracts: 19 s)
# and nobody reads it: tables stop here unless --limit says otherwise; pipes get every row.
TABLE_ROWS = 100


def make_console(handle: Any = None) -> "Console":
    """Return a Rich console on a file, or on stdout; a closed pipe raises BrokenPipeError."""
    from rich.console import Console

    class _Console(Console):
        # Rich exits 1 on a closed pipe; procwatch's root command ends quietly with 0 instead.
        def on_broken_pipe(self) -> None:
            self.quiet = True
            raise BrokenPipeError

    return _Console(file=handle) if handle is not None else _Console()


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


def plain(value: Any) -> Any:
    """Turn Decimals, dataclasses and containers into JSON-ready values (amounts as strings)."""
    if isinstance(value, Decimal):
        return str(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            field.name: plain(getattr(value, field.name)) for field in dataclasses.fields(value)
        }
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


def amount_text(amount: Decimal | None, currency: str | None, estimate: bool = False) -> str:
    """Format an exact amount for people: `5,870,722.48 USD`, `~3,500,000.00 EUR`."""
    if amount is None:
        return "unknown"
    return f"{'~' if estimate else ''}{amount:,} {currency or ''}".strip()


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
    records: Sequence[Any],
    columns: Sequence[Column],
    fmt: OutputFormat,
    output: Path | None,
    *,
    title: str | None = None,
    record_type: type | None = None,
    limit: int | None = None,
    caption: str | None = None,
    hide: Collection[str] = (),
) -> None:
    """Print records in a format; CSV and JSON carry every field, the table the given columns.

    The table leaves out the `hide` columns (what the query fixed, stated in the title) and
    prints a caption (a report's date and origin) under it. When nothing matched, stderr says
    so while stdout keeps its empty table, `[]` or header-only CSV.
    """
    from procwatch.output import open_output

    every = records
    records = shown_rows(records, fmt, limit)
    if not every and title:
        say_nothing_matched(title)
    with open_output(output) as handle:
        if fmt is OutputFormat.json:
            json.dump([plain(record) for record in records], handle, indent=2, ensure_ascii=False)
            handle.write("\n")
        elif fmt is OutputFormat.csv:
            rows = [plain(record) for record in records]
            if record_type is not None:
                fields = [field.name for field in dataclasses.fields(record_type)]
            else:
                fields = list(rows[0]) if rows else []
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(fields)
            for row in rows:
                writer.writerow([_csv_cell(row.get(name)) for name in fields])
        else:
            console = make_console(handle if output else None)
            table = build_table(
                every, columns, title, rows=len(records), hide=hide, width=console.width
            )
            console.print(table)
            print_shown(console, len(records), len(every))
            if caption:
                # One line however narrow the terminal: the terminal wraps it, not Rich.
                console.print(caption, markup=False, highlight=False, soft_wrap=True)


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


def write_json(value: Any, output: Path | None) -> None:
    """Write one value as indented JSON (amounts as strings) to a file or stdout."""
    from procwatch.output import open_output

    with open_output(output) as handle:
        json.dump(plain(value), handle, indent=2, ensure_ascii=False)
        handle.write("\n")
