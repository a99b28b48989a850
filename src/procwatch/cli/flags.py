"""procwatch flags: contracts that carry red flags, one row per contract and flag."""

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from procwatch.cli.contracts import CountryOption, VendorOption
from procwatch.cli.render import (
    Column,
    CsvSafeOption,
    FormatOption,
    LimitOption,
    OutputFormat,
    OutputOption,
    period_text,
)
from procwatch.cli.session import open_connection

if TYPE_CHECKING:
    from procwatch.screening.flags import ContractFlag

COLUMNS = [
    Column("Date", lambda r: period_text(r.date, r.date_end, "undated")),
    Column("Country", lambda r: r.country),
    Column("Vendor", lambda r: r.vendor),
    Column("Buyer", lambda r: r.buyer),
    Column("Flag", lambda r: r.code),
    Column("Certainty", lambda r: r.certainty),
    Column("Evidence", lambda r: r.evidence),
]
DEFINITION_COLUMNS = [
    Column("Code", lambda d: d.code),
    Column("Name", lambda d: d.name),
    Column("Definition", lambda d: d.definition),
    Column("Reference", lambda d: d.reference),
]


def flags(
    ctx: typer.Context,
    vendor: VendorOption = None,
    country: CountryOption = None,
    flag: Annotated[
        str | None,
        typer.Option("--flag", help="Only this flag code, e.g. PW-SIGNED-WHILE-BANNED."),
    ] = None,
    list_flags: Annotated[
        bool,
        typer.Option("--list", help="List the flag codes, definitions and references instead."),
    ] = False,
    fmt: FormatOption = OutputFormat.table,
    csv_safe: CsvSafeOption = False,
    output: OutputOption = None,
    limit: LimitOption = None,
) -> None:
    """List contracts that carry red flags, one row per contract and flag, with the evidence.

    Flags are computed from the records each time; "possibly" means the dates are too
    coarse to tell (a 2018-2020 purchase and a 2020 restriction).
    """
    from procwatch.cli.render import render, shown_rows, write_json
    from procwatch.screening.flags import FLAGS, ContractFlag, FlagDefinition, find_flags
    from procwatch.screening.origin import report_origin

    if list_flags:
        render(
            FLAGS,
            DEFINITION_COLUMNS,
            fmt,
            output,
            title="Red flags",
            record_type=FlagDefinition,
            csv_safe=csv_safe,
        )
        return
    with open_connection(ctx) as connection:
        records = find_flags(connection, vendor=vendor, country=country, code=flag)
        origin = report_origin(connection, None)
    if fmt is OutputFormat.table:
        _print_flags(records, output, limit, f"As of {origin.as_of}. {origin.sentence()}")
    elif fmt is OutputFormat.json:
        # An object, not a bare list: published flags say when and from what they were found.
        write_json({"origin": origin, "flags": shown_rows(records, fmt, limit)}, output)
    else:
        render(
            records,
            COLUMNS,
            fmt,
            output,
            csv_safe=csv_safe,
            title="Flagged contracts",
            record_type=ContractFlag,
            limit=limit,
        )


def _print_flags(
    records: Sequence["ContractFlag"], output: Path | None, limit: int | None, caption: str
) -> None:
    # Its own table: flag codes must never be cut, so the contract's facts share one column.
    from rich.table import Table
    from rich.text import Text

    from procwatch.cli.render import make_console, print_shown, shown_rows
    from procwatch.output import open_output

    total = len(records)
    records = shown_rows(records, OutputFormat.table, limit)

    table = Table(title="Flagged contracts", show_lines=True)
    table.add_column("Contract", ratio=1)
    table.add_column("Flag", no_wrap=True)
    table.add_column("Certainty", no_wrap=True)
    table.add_column("Evidence", ratio=1)
    for record in records:
        when = period_text(record.date, record.date_end, "undated")
        contract = f"{when} {record.country}: {record.title}"
        parties = f"{record.buyer or 'buyer unknown'} / {record.vendor}"
        table.add_row(
            Text(f"{contract}\n{parties}"),
            Text(record.code),
            Text(record.certainty),
            Text(record.evidence),
        )
    with open_output(output) as handle:
        console = make_console(handle if output else None)
        console.print(table)
        print_shown(console, len(records), total)
        console.print(Text(caption), soft_wrap=True)
