"""procwatch vendors [SEARCH] and procwatch vendor NAME: find vendors and read their profile."""

from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from procwatch.cli.render import (
    SEPARATORS,
    TABLE_ROWS,
    Column,
    CsvSafeOption,
    FormatOption,
    LimitOption,
    OutputFormat,
    OutputOption,
    limit_option,
)
from procwatch.cli.session import open_connection, open_store
from procwatch.matching import DEFAULT_MIN_SCORE


class DefaultToList(TyperGroup):
    """`procwatch vendors nuc` means `procwatch vendors list nuc`; subcommands still work."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h")):
            _refuse_a_mistyped_command(ctx, args[0] if args else "", list(self.commands))
            args = ["list", *args]
        return super().parse_args(ctx, args)


def _refuse_a_mistyped_command(ctx: Any, word: str, commands: list[str]) -> None:
    # `vendors lst` is a typo for `list` far more often than a search for "lst": say so
    # rather than search silently; a search that looks like a command is one `list` away.
    import difflib

    close = difflib.get_close_matches(word.lower(), commands, n=1, cutoff=0.75)
    if close and not word.startswith("-"):
        # As click words its own usage errors (Typer vendors click, so its class is private).
        typer.echo(
            f"{ctx.get_usage()}\nTry '{ctx.command_path} -h' for help.\n\n"
            f"Error: No such command {word!r}. Did you mean {close[0]!r}? "
            f"(To search for it: procwatch vendors list {word})",
            err=True,
        )
        raise typer.Exit(2)


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
        str | None,
        typer.Argument(help="Text in the vendor's name or aliases; all vendors without it."),
    ] = None,
    fmt: FormatOption = OutputFormat.table,
    csv_safe: CsvSafeOption = False,
    output: OutputOption = None,
    limit: LimitOption = None,
) -> None:
    """List vendors whose name or alias contains SEARCH (ignoring case, accents, legal forms)."""
    from procwatch.cli.render import render
    from procwatch.queries.vendors import VendorSummary, list_vendors

    with open_connection(ctx) as connection:
        records = list_vendors(connection, search)
    title = f"Vendors matching {search!r}" if search else "Vendors"
    render(
        records,
        COLUMNS,
        fmt,
        output,
        title=title,
        record_type=VendorSummary,
        limit=limit,
        csv_safe=csv_safe,
    )


def vendor(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Vendor name or alias, e.g. Nuotech.")],
    fmt: FormatOption = OutputFormat.table,
    csv_safe: CsvSafeOption = False,
    output: OutputOption = None,
    limit: Annotated[
        int | None,
        limit_option(f"Show at most this many contracts in the table ({TABLE_ROWS}); 0: all."),
    ] = None,
) -> None:
    """Show a vendor's profile: aliases, country, contracts with totals, measures by country."""
    from procwatch.queries.vendors import vendor_profile

    with open_connection(ctx) as connection:
        profile = vendor_profile(connection, name)
    if fmt is OutputFormat.table:
        _print_profile(profile, output, limit)
    elif fmt in (OutputFormat.json, OutputFormat.nl):
        from procwatch.cli.render import write_json

        # A profile is one record: newline-delimited JSON is it on one line.
        write_json(profile, output, indent=2 if fmt is OutputFormat.json else None)
    else:
        _profile_csv(profile, output, SEPARATORS[fmt], csv_safe)


def _print_profile(profile: Any, output: Path | None, limit: int | None) -> None:
    from rich.table import Table
    from rich.text import Text

    from procwatch.cli.bans import COLUMNS as MEASURE_COLUMNS
    from procwatch.cli.contracts import COLUMNS as CONTRACT_COLUMNS
    from procwatch.cli.render import build_table, make_console, print_shown, shown_rows
    from procwatch.output import open_output

    with open_output(output) as handle:
        console = make_console(handle if output else None)
        home = f"{profile.country_name} ({profile.country})" if profile.country else "unknown"
        # Text, so that names and aliases print as written, never read as Rich markup.
        console.print(Text(profile.name, style="bold"))
        console.print(Text(f"Home country: {home}"))
        console.print(Text(f"Aliases: {'; '.join(profile.aliases) or 'none'}"))
        if profile.identifiers:
            console.print(Text(f"Identifiers: {'; '.join(profile.identifiers)}"))
        totals = Table(title="Contract totals")
        for title in ("Currency", "Contracts", "Total", "Estimated"):
            totals.add_column(title, justify="left" if title == "Currency" else "right")
        for row in profile.totals:
            totals.add_row(
                Text(row.currency or "(value unknown)"),
                Text(str(row.contracts)),
                Text("" if row.total is None else f"{row.total:,}"),
                Text(str(row.estimated)),
            )
        console.print(totals)
        console.print(_jurisdiction_tallies(profile.contracts))
        measures = [m for country in profile.measures_by_country.values() for m in country]
        contracts = shown_rows(profile.contracts, OutputFormat.table, limit)
        rows = len(contracts)
        of = f"of {profile.name}"
        width = console.width
        table = build_table(
            profile.contracts,
            CONTRACT_COLUMNS,
            f"Contracts {of}",
            rows=rows,
            hide={"Vendor"},
            width=width,
        )
        console.print(table)
        print_shown(console, rows, len(profile.contracts))
        console.print(
            build_table(
                measures, MEASURE_COLUMNS, f"Measures {of} by country", hide={"Vendor"}, width=width
            )
        )


def _jurisdiction_tallies(contracts: Any) -> Any:
    # Thousands of contracts read as a few lines: how many per jurisdiction, when, how much.
    from collections import defaultdict

    from rich.table import Table
    from rich.text import Text

    from procwatch.tallies import tally

    by_country: dict[str, list[Any]] = defaultdict(list)
    for contract in contracts:
        by_country[f"{contract.country_name} ({contract.country})"].append(contract)
    table = Table(title="Contracts by jurisdiction and year")
    table.add_column("Jurisdiction", max_width=20)
    table.add_column("Contracts", justify="right", no_wrap=True)
    table.add_column("By year")
    table.add_column("Total")
    for name, rows in sorted(by_country.items(), key=lambda item: -len(item[1])):
        counted = tally(rows)
        table.add_row(
            Text(name), Text(f"{counted.contracts:,}"), Text(counted.by_year), Text(counted.totals)
        )
    return table


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


def _profile_csv(profile: Any, output: Path | None, separator: str, safe: bool) -> None:
    from procwatch.csvtext import csv_line, csv_lines
    from procwatch.output import open_output

    rows: list[list[Any]] = [
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
        for c in profile.contracts
    ]
    rows += [
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
        for measures in profile.measures_by_country.values()
        for m in measures
    ]
    with open_output(output) as handle:
        handle.write(csv_line(PROFILE_CSV_FIELDS, separator=separator, safe=safe))
        handle.write(csv_lines(rows, separator=separator, safe=safe))


DUPLICATE_COLUMNS = [
    Column("Score", lambda r: f"{r.score:.1f}", justify="right"),
    Column("ID", lambda r: r.first_id, justify="right"),
    Column("Vendor", lambda r: r.first),
    Column("Country", lambda r: r.first_country),
    Column("ID", lambda r: r.second_id, justify="right"),
    Column("Alike vendor", lambda r: r.second),
    Column("Country", lambda r: r.second_country),
    Column("Matched names", lambda r: r.matched, wide=True),
    Column("Why", lambda r: r.why, wide=True),
]


@app.command("duplicates")
def duplicates(
    ctx: typer.Context,
    min_score: Annotated[
        float,
        typer.Option(
            "--min-score", help="Least similarity (0-100) of a pair to list.", min=0, max=100
        ),
    ] = DEFAULT_MIN_SCORE,
    limit: Annotated[
        int | None, limit_option("List at most this many pairs (default and 0: all).")
    ] = None,
    fmt: FormatOption = OutputFormat.table,
    csv_safe: CsvSafeOption = False,
    output: OutputOption = None,
) -> None:
    """List pairs of vendors with alike names or aliases, most alike first (merges nothing)."""
    from procwatch.cli.render import render
    from procwatch.vendors import DuplicatePair, likely_duplicates

    with open_connection(ctx) as connection:
        pairs = likely_duplicates(connection, min_score, limit or None)
    render(
        pairs,
        DUPLICATE_COLUMNS,
        fmt,
        output,
        title="Likely duplicates",
        record_type=DuplicatePair,
        csv_safe=csv_safe,
    )


@app.command("merge")
def merge(
    ctx: typer.Context,
    keep: Annotated[str, typer.Argument(help="The vendor to keep: its id or name.")],
    other: Annotated[str, typer.Argument(help="The vendor merged into KEEP: its id or name.")],
) -> None:
    """Merge OTHER into KEEP: contracts, measures, aliases, identifiers and sources move."""
    from procwatch.vendors import merge_vendors

    with open_store(ctx) as store:
        record = merge_vendors(store, keep, other)
    moved = ", ".join(f"{count} {name}" for name, count in record.moved.items())
    typer.echo(
        f"Merged {record.merged!r} (id {record.merged_id}) into {record.kept!r}"
        f" (id {record.kept_id}); moved {moved}."
    )
    typer.echo(f"Recorded as merge {record.id}; undo with: procwatch vendors unmerge {record.id}")


@app.command("unmerge")
def unmerge(
    ctx: typer.Context,
    merge_id: Annotated[
        int, typer.Argument(help="The merge to undo (see `procwatch vendors merges`).")
    ],
) -> None:
    """Undo a merge: restore the merged vendor and move back everything the merge moved."""
    from procwatch.vendors import undo_merge

    with open_store(ctx) as store:
        record = undo_merge(store, merge_id)
    typer.echo(
        f"Undid merge {record.id}: {record.merged!r} (id {record.merged_id}) is separate again"
        f" from {record.kept!r} (id {record.kept_id})."
    )


MERGE_COLUMNS = [
    Column("Merge", lambda r: r.id, justify="right"),
    Column("Kept", lambda r: f"{r.kept} ({r.kept_id})"),
    Column("Merged", lambda r: f"{r.merged} ({r.merged_id})"),
    Column("Moved", lambda r: ", ".join(f"{n} {name}" for name, n in r.moved.items() if n)),
    Column("Merged at", lambda r: r.merged_at),
    Column("Undone at", lambda r: r.undone_at),
]


@app.command("merges")
def merges(
    ctx: typer.Context,
    fmt: FormatOption = OutputFormat.table,
    csv_safe: CsvSafeOption = False,
    output: OutputOption = None,
    limit: LimitOption = None,
) -> None:
    """List recorded vendor merges, newest first, with the ones undone."""
    from procwatch.cli.render import render
    from procwatch.vendors import MergeRecord, list_merges

    with open_connection(ctx) as connection:
        records = list_merges(connection)
    render(
        records,
        MERGE_COLUMNS,
        fmt,
        output,
        csv_safe=csv_safe,
        title="Vendor merges",
        record_type=MergeRecord,
        limit=limit,
    )
