"""procwatch check VENDOR: the due-diligence report to read before signing a contract."""

import enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from procwatch.cli.render import OutputOption, VendorArgument, period_text
from procwatch.cli.session import open_connection

if TYPE_CHECKING:
    from rich.console import Console

    from procwatch.queries.citations import SourceRef
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
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="Answer as of this date (YYYY, YYYY-MM or YYYY-MM-DD; default today).",
            metavar="DATE",
        ),
    ] = None,
    for_country: Annotated[
        str | None,
        typer.Option(
            "--for-country",
            help="Frame the report for a buyer in this country (ISO code or name, e.g. PL).",
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

    Level rule. high: a ban by any jurisdiction is in force on the date; or, with
    --for-country C, any measure by C or by a union C belongs to is in force. caution: a
    restriction or an investigation is in force anywhere; a measure is possibly in force,
    possibly ended or ended; or a contract of the vendor carries a red flag (certainly or
    possibly). none: none of the above is known on the date.
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


def _print_report(report: "CheckReport", console: "Console") -> None:
    from rich.table import Table
    from rich.text import Text

    from procwatch.screening.markdown import NOT_A_CLEARANCE, scope_text
    from procwatch.screening.report import citation_numbers

    numbers = citation_numbers(report)

    def cite(sources: "list[SourceRef]") -> str:
        return "".join(f" [{n}]" for n in sorted({numbers[s] for s in sources}))

    vendor = report.vendor
    console.print(Text(f"Due-diligence check: {vendor.name}", style="bold"))
    level = Text(f"Level: {report.level.upper()}", style=LEVEL_STYLES[report.level])
    console.print(level + Text(f" ({scope_text(report)})"))
    home = f"{vendor.country_name} ({vendor.country})" if vendor.country else "unknown"
    console.print(Text(f"Home country: {home}"))
    console.print(Text(f"Aliases: {'; '.join(vendor.aliases) or 'none'}{cite(vendor.sources)}"))
    if vendor.identifiers:
        console.print(Text(f"Identifiers: {'; '.join(vendor.identifiers)}"))
    console.print(Text("\nWhy this level", style="bold"))
    for reason in report.reasons:
        console.print(Text(f"  {reason.level}: {reason.text}{cite(reason.sources)}"))
    if report.nothing_known:
        console.print(Text(NOT_A_CLEARANCE))
    if report.jurisdictions:
        table = Table(title="Jurisdictions", show_lines=True)
        table.add_column("Jurisdiction")
        table.add_column("What and when")
        for row in report.jurisdictions:
            lines = [f"{m.label}{cite(m.sources)}" for m in row.measures]
            lines += [f"{c.label}{cite(c.sources)}" for c in row.contracts]
            lines += [
                f"through the {m.country}: {m.label}{cite(m.sources)}" for m in row.through_unions
            ]
            name = f"{row.name} ({row.code})" + (f"\n{row.relation}" if row.relation else "")
            table.add_row(Text(name), Text("\n".join(lines) or row.summary))
        console.print(table)
    if report.flags:
        table = Table(title="Red flags", show_lines=True)
        table.add_column("Contract", ratio=2)
        table.add_column("Flag", no_wrap=True)
        table.add_column("Certainty", no_wrap=True)
        table.add_column("Evidence", ratio=3)
        for flag in report.flags:
            when = period_text(flag.date, flag.date_end, "undated")
            table.add_row(
                Text(f"{flag.country} {when}: {flag.title}"),
                Text(flag.code),
                Text(flag.certainty),
                Text(f"{flag.evidence}{cite(flag.sources)}"),
            )
        console.print(table)
    if numbers:
        console.print(Text("Sources", style="bold"))
        for source, number in numbers.items():
            quote = f"“{source.quote}” " if source.quote else ""
            where = source.source + (f", {source.locator}" if source.locator else "")
            console.print(Text(f"[{number}] {quote}({where})"))
