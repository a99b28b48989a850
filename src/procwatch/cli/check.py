"""procwatch check VENDOR: the due-diligence report to read before signing a contract."""

import enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from procwatch.cli.options import AsOfOption
from procwatch.cli.render import OutputOption, VendorArgument
from procwatch.cli.session import open_connection

if TYPE_CHECKING:
    from rich.console import Console

    from procwatch.screening.report import CheckReport


class ReportFormat(enum.StrEnum):
    """How `check` prints its report."""

    table = "table"
    json = "json"
    markdown = "markdown"


LEVEL_STYLES = {"none": "bold green", "caution": "bold yellow", "high": "bold red"}


def check(
    ctx: typer.Context,
    vendor: VendorArgument,
    as_of: AsOfOption = None,
    for_country: Annotated[
        str | None,
        typer.Option(
            "--for-country",
            help="Frame the report for a buyer in this country (ISO code or name, e.g. PL), "
            "or financed by this issuer (e.g. WBG, EBRD).",
            metavar="C",
        ),
    ] = None,
    fmt: Annotated[
        ReportFormat,
        typer.Option("--format", "-f", help="Output format.", case_sensitive=False),
    ] = ReportFormat.table,
    output: OutputOption = None,
) -> None:
    """Screen a vendor before contracting: identity, each jurisdiction's measures and
    contracts, red flags on its contracts, and an overall level with its reasons.

    Level rule. high: a ban by any jurisdiction is in force on the date; or, asked for a
    buyer's country C, any measure by C or by a union C belongs to is in force (for a
    development bank C: by a bank whose debarments C enforces). caution: a
    restriction or an investigation is in force anywhere; a measure is possibly in force,
    possibly ended or ended; or a contract of the vendor carries a red flag (certainly or
    possibly). none: none of the above is known on the date.

    Every format ends with the coverage: the lists loaded (date, SHA-256, import, rows),
    the OCDS sources (dates covered), the documents, and the issuers the question involves
    that no list covers. A vendor no list names reads "no match in the N lists loaded",
    never "clean".
    """
    from procwatch.screening.report import check_vendor

    with open_connection(ctx) as connection:
        report = check_vendor(connection, vendor, as_of=as_of, for_country=for_country)
    _write(report, fmt, output)


def _write(report: "CheckReport", fmt: ReportFormat, output: Path | None) -> None:
    from procwatch.output import open_output

    with open_output(output) as handle:
        if fmt is ReportFormat.json:
            import json

            from procwatch.cli.render import plain

            json.dump(plain(report), handle, indent=2, ensure_ascii=False)
            handle.write("\n")
        elif fmt is ReportFormat.markdown:
            from procwatch.screening.markdown import report_markdown

            handle.write(report_markdown(report))
        else:
            from procwatch.cli.render import make_console

            _print_report(report, make_console(handle if output else None))


# A terminal shows this many contracts per jurisdiction, and this many red flags, with
# tallies of the rest: Rich took 3.45 s to draw the 4,477 contracts of one vendor, which
# nobody reads on a screen; JSON and Markdown carry every line.
TERMINAL_CONTRACTS = 10
TERMINAL_FLAGS = 20
MORE = "use --format json or --format markdown for every line"


def _print_report(report: "CheckReport", console: "Console") -> None:
    from rich.table import Table
    from rich.text import Text

    from procwatch.screening.view import report_view

    view = report_view(report)
    console.print(Text(view.title, style="bold"))
    level = Text(f"Level: {view.level}", style=LEVEL_STYLES[report.level])
    console.print(level + Text(f" ({view.scope})"))
    console.print(Text(view.origin), soft_wrap=True)
    for fact in view.facts:
        console.print(Text(fact))
    console.print(Text("\nWhy this level", style="bold"))
    for level_name, text in view.reasons:
        console.print(Text(f"  {level_name}: {text}"))
    if view.caveat:
        console.print(Text(view.caveat))
    if view.jurisdictions:
        table = Table(title="Jurisdictions", show_lines=True)
        table.add_column("Jurisdiction", max_width=24)
        table.add_column("What and when")
        for row in view.jurisdictions:
            lines = [*row.measure_lines, *row.contract_lines[:TERMINAL_CONTRACTS]]
            hidden = len(row.contract_lines) - TERMINAL_CONTRACTS
            if hidden > 0:
                lines.append(
                    f"{len(row.contract_lines):,} contracts in all, by year "
                    f"{row.contracts_by_year}; worth {row.contract_totals}. "
                    f"{hidden:,} more: {MORE}."
                )
            lines += row.union_lines
            name = row.heading + (f"\n{row.relation}" if row.relation else "")
            table.add_row(Text(name), Text("\n".join(lines) or row.summary))
        console.print(table)
    if view.flags:
        table = Table(title="Red flags", show_lines=True)
        table.add_column("Contract", ratio=2)
        table.add_column("Flag", no_wrap=True)
        table.add_column("Certainty", no_wrap=True)
        table.add_column("Evidence", ratio=3)
        for flag in view.flags[:TERMINAL_FLAGS]:
            table.add_row(
                Text(flag.contract), Text(flag.code), Text(flag.certainty), Text(flag.evidence)
            )
        console.print(table)
        if len(view.flags) > TERMINAL_FLAGS:
            console.print(Text(f"{len(view.flags) - TERMINAL_FLAGS:,} more red flags: {MORE}."))
    if view.coverage:
        console.print(Text("Coverage", style="bold"))
        for line in view.coverage:
            console.print(Text(f"  {line}"))
    if view.sources:
        console.print(Text("Sources", style="bold"))
        for number, source in view.sources:
            quote = f"“{source.quote}” " if source.quote else ""
            where = source.source + (f", {source.locator}" if source.locator else "")
            console.print(Text(f"[{number}] {quote}({where})"))
