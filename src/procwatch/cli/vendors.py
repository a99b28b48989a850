"""procwatch vendors [SEARCH] and procwatch vendor NAME: find vendors and read their profile."""

from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from typer.core import TyperGroup

from procwatch.cli.render import Column, FormatOption, OutputFormat, OutputOption
from procwatch.cli.session import open_session


class DefaultToList(TyperGroup):
    """`procwatch vendors nuc` means `procwatch vendors list nuc`; subcommands still work."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h")):
            args = ["list", *args]
        return super().parse_args(ctx, args)


app = typer.Typer(
    cls=DefaultToList,
    help="Find vendors by name or alias (`procwatch vendors [SEARCH]`).",
    rich_markup_mode=None,
)

COLUMNS = [
    Column("Vendor", lambda r: r.name),
    Column("Country", lambda r: r.country),
    Column("Aliases", lambda r: "; ".join(r.aliases)),
    Column("Contracts", lambda r: r.contracts, justify="right"),
    Column("Measures", lambda r: r.measures, justify="right"),
]


@app.command("list")
def list_(
    ctx: typer.Context,
    search: Annotated[
        Optional[str],  # noqa: UP045 - Typer reads the annotation at runtime
        typer.Argument(help="Text in the vendor's name or aliases; all vendors without it."),
    ] = None,
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
) -> None:
    """List vendors whose name or alias contains SEARCH (ignoring case, accents, legal forms)."""
    from procwatch.cli.render import render
    from procwatch.queries import VendorSummary, list_vendors

    with open_session(ctx) as session:
        records = list_vendors(session, search)
    render(records, COLUMNS, fmt, output, title="Vendors", record_type=VendorSummary)


def vendor(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Vendor name or alias, e.g. Nuotech.")],
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
) -> None:
    """Show a vendor's profile: aliases, country, contracts with totals, measures by country."""
    from procwatch.queries import vendor_profile

    with open_session(ctx) as session:
        profile = vendor_profile(session, name)
    if fmt is OutputFormat.table:
        _print_profile(profile, output)
    elif fmt is OutputFormat.json:
        import json

        from procwatch.cli.render import plain
        from procwatch.output import open_output

        with open_output(output) as handle:
            json.dump(plain(profile), handle, indent=2, ensure_ascii=False)
            handle.write("\n")
    else:
        _profile_csv(profile, output)


def _print_profile(profile: Any, output: Path | None) -> None:
    from rich.console import Console
    from rich.table import Table

    from procwatch.cli.bans import COLUMNS as MEASURE_COLUMNS
    from procwatch.cli.contracts import COLUMNS as CONTRACT_COLUMNS
    from procwatch.cli.render import build_table
    from procwatch.output import open_output

    with open_output(output) as handle:
        console = Console(file=handle) if output else Console()
        home = f"{profile.country_name} ({profile.country})" if profile.country else "unknown"
        console.print(f"[bold]{profile.name}[/bold]")
        console.print(f"Home country: {home}")
        console.print(f"Aliases: {'; '.join(profile.aliases) or 'none'}")
        if profile.identifiers:
            console.print(f"Identifiers: {'; '.join(profile.identifiers)}")
        totals = Table(title="Contract totals")
        for title in ("Currency", "Contracts", "Total", "Estimated"):
            totals.add_column(title, justify="left" if title == "Currency" else "right")
        for row in profile.totals:
            totals.add_row(
                row.currency or "(value unknown)",
                str(row.contracts),
                "" if row.total is None else f"{row.total:,}",
                str(row.estimated),
            )
        console.print(totals)
        measures = [m for country in profile.measures_by_country.values() for m in country]
        console.print(build_table(profile.contracts, CONTRACT_COLUMNS, "Contracts"))
        console.print(build_table(measures, MEASURE_COLUMNS, "Measures by country"))


PROFILE_CSV_FIELDS = [
    "vendor",
    "record",
    "country",
    "date",
    "date_end",
    "kind",
    "title",
    "amount",
    "currency",
    "amount_is_estimate",
    "sources",
]


def _profile_csv(profile: Any, output: Path | None) -> None:
    import csv

    from procwatch.output import open_output

    with open_output(output) as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(PROFILE_CSV_FIELDS)
        for c in profile.contracts:
            writer.writerow(
                [
                    profile.name,
                    "contract",
                    c.country,
                    c.date,
                    c.date_end,
                    c.procurement_method,
                    c.title,
                    c.amount,
                    c.currency,
                    "yes" if c.amount_is_estimate else "no",
                    "; ".join(s.source for s in c.sources),
                ]
            )
        for measures in profile.measures_by_country.values():
            for m in measures:
                writer.writerow(
                    [
                        profile.name,
                        "measure",
                        m.country,
                        m.date,
                        m.date_end,
                        m.kind,
                        m.scope,
                        None,
                        None,
                        None,
                        "; ".join(s.source for s in m.sources),
                    ]
                )
