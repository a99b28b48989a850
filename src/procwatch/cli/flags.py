"""procwatch flags: contracts that carry red flags, one row per contract and flag."""

import textwrap
from collections import Counter
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

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
    from procwatch.queries.coverage import Coverage
    from procwatch.screening.flags import ContractFlag
    from procwatch.screening.origin import ReportOrigin


T = TypeVar("T")
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
    coarse to tell (a 2018-2020 purchase and a 2020 restriction). The table ends with the
    lists and OCDS sources loaded, JSON has them under "coverage"; CSV, TSV and
    newline-delimited JSON stay one row per flag.
    """
    from procwatch.cli.render import render
    from procwatch.queries.coverage import contracts_coverage
    from procwatch.screening.flags import FLAGS, ContractFlag, FlagDefinition, stream_flags
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
        origin = report_origin(connection, None)
        records = stream_flags(connection, vendor=vendor, country=country, code=flag)
        # Every format takes the flags as the database hands them over: a million flagged
        # contracts never sit in memory at once.
        if fmt is OutputFormat.table:
            from procwatch.queries.coverage import coverage_text

            caption = f"As of {origin.as_of}. {origin.sentence()}"
            covered = coverage_text(contracts_coverage(connection, country))
            _print_flags(records, output, limit, f"{caption}\n{covered}")
        elif fmt is OutputFormat.json:
            _write_json(records, origin, contracts_coverage(connection, country), output, limit)
        else:
            render(
                records,
                [],  # no table here: _print_flags draws it
                fmt,
                output,
                csv_safe=csv_safe,
                title="Flagged contracts",
                record_type=ContractFlag,
                limit=limit,
            )


def _shown(records: Iterator[T], limit: int | None) -> Iterator[T]:
    # --limit as shown_rows reads it for CSV and JSON: none or 0 means every row.
    return islice(records, limit) if limit else records


def _write_json(
    records: Iterator["ContractFlag"],
    origin: "ReportOrigin",
    covered: "Coverage",
    output: Path | None,
    limit: int | None,
) -> None:
    # An object, not a bare list: published flags say when and from what they were found.
    # Written as json.dump(indent=2) writes the whole object, a flag at a time.
    import json

    from procwatch.cli.render import plain
    from procwatch.output import open_output

    head = json.dumps(
        {"origin": plain(origin), "coverage": plain(covered), "flags": []},
        indent=2,
        ensure_ascii=False,
    )
    assert head.endswith("[]\n}"), "the flags list closes the object"
    with open_output(output) as handle:
        handle.write(head[: -len("[]\n}")] + "[")
        separator = "\n"
        for record in _shown(records, limit):
            text = json.dumps(plain(record), indent=2, ensure_ascii=False)
            handle.write(separator + textwrap.indent(text, "    "))
            separator = ",\n"
        handle.write("]\n}\n" if separator == "\n" else "\n  ]\n}\n")


def _print_flags(
    records: Iterator["ContractFlag"], output: Path | None, limit: int | None, caption: str
) -> None:
    # Its own table: flag codes must never be cut, so the contract's facts share one column.
    # It draws the first rows and counts the rest by flag and certainty, as `check` sums up
    # a vendor's contracts: nobody reads a million rows in a terminal.
    from rich.table import Table
    from rich.text import Text

    from procwatch.cli.render import TABLE_ROWS, make_console, print_shown
    from procwatch.output import open_output

    rows = TABLE_ROWS if limit is None else limit
    shown: list[ContractFlag] = []
    counts: Counter[tuple[str, str]] = Counter()
    for record in records:
        counts[record.code, record.certainty] += 1
        if not rows or len(shown) < rows:
            shown.append(record)
    total = counts.total()

    table = Table(title="Flagged contracts", show_lines=True)
    table.add_column("Contract", ratio=1)
    table.add_column("Flag", no_wrap=True)
    table.add_column("Certainty", no_wrap=True)
    table.add_column("Evidence", ratio=1)
    for record in shown:
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
        print_shown(console, len(shown), total)
        if len(shown) < total:
            console.print(Text(_counts_text(counts)), soft_wrap=True)
        console.print(Text(caption), soft_wrap=True)


def _counts_text(counts: Counter[tuple[str, str]]) -> str:
    # Named, not coded: the codes in the output are the rows', one per flag shown.
    from procwatch.screening.flags import FLAGS

    parts = []
    for flag in FLAGS:
        found = [(counts[flag.code, c], c) for c in ("yes", "possibly") if counts[flag.code, c]]
        if found:
            parts.append(f"{flag.name}: " + ", ".join(f"{n:,} {c}" for n, c in found))
    return f"All {counts.total():,} flags by kind: " + "; ".join(parts) + "."
