"""procwatch import measures: sanctions and debarment lists (CSV, XLSX, FollowTheMoney)."""

import enum
from pathlib import Path
from typing import Annotated

import typer

from procwatch.cli.changes import print_changes
from procwatch.cli.import_limits import (
    MAX_DEPTH,
    MAX_ITEM_MB,
    MAX_RATIO,
    MaxDepth,
    MaxRatio,
    input_limits,
    max_item_option,
)
from procwatch.cli.import_report import ProgressBar, print_summary
from procwatch.cli.session import open_store


class Kind(enum.StrEnum):
    """The kinds of measure, as --kind spells them."""

    ban = "ban"
    restriction = "restriction"
    investigation = "investigation"


class DateOrderChoice(enum.StrEnum):
    """How --date-order reads 03/04/2020."""

    dmy = "dmy"
    mdy = "mdy"


def measures(
    ctx: typer.Context,
    path: Annotated[
        Path,
        typer.Argument(
            help="The list: procwatch CSV, FollowTheMoney JSON lines (.json, .gz), CSV, XLSX "
            "or, with --preset un-sc, XML; '-' reads stdin.",
            dir_okay=False,
            metavar="PATH",
        ),
    ],
    preset: Annotated[
        str | None,
        typer.Option(
            "--preset",
            help="A published list read as its publisher distributes it: worldbank (XLSX or "
            "CSV), ebrd (CSV), ofac-sdn (sdn.csv, with alt.csv and add.csv beside it), un-sc "
            "(XML), us-csl (CSV). See docs/import-measures.md.",
        ),
    ] = None,
    mapping: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            help='FIELD=COLUMN, e.g. name="Firm Name" start="Ineligible From"; a number for files '
            "without a header (1 is the first column). Repeat for each field.",
            metavar="FIELD=COLUMN",
        ),
    ] = None,
    kind: Annotated[
        Kind | None,
        typer.Option(
            "--kind", "-k", help="Kind of every measure (overrides the file).", case_sensitive=False
        ),
    ] = None,
    authority: Annotated[
        str | None,
        typer.Option(
            "--authority", help="Authority that decided every measure (overrides the file)."
        ),
    ] = None,
    country: Annotated[
        str | None,
        typer.Option(
            "--issuer",
            "--country",
            "-c",
            help="Issuer of every measure (overrides the file): a country's ISO code or name, "
            "EU, or an international issuer: WBG, EBRD, ADB, AFDB, IDB, UN, or its name.",
        ),
    ] = None,
    list_name: Annotated[
        str | None,
        typer.Option(
            "--list-name", help="Name of the list in measure keys (default: the file's name)."
        ),
    ] = None,
    end_missing: Annotated[
        bool,
        typer.Option(
            "--end-missing",
            help="The file is the whole list as it stands now: measures of its earlier "
            "imports (same --preset, else same file name) that it no longer holds end today.",
        ),
    ] = False,
    skip_rows: Annotated[
        int,
        typer.Option("--skip-rows", help="Rows to skip before the header (titles, notes).", min=0),
    ] = 0,
    no_header: Annotated[
        bool,
        typer.Option("--no-header", help="The file has no header row: --map by column number."),
    ] = False,
    sheet: Annotated[
        str | None,
        typer.Option("--sheet", help="XLSX sheet to read (default: the first)."),
    ] = None,
    encoding: Annotated[
        str, typer.Option("--encoding", help="Text encoding of a CSV file.")
    ] = "utf-8-sig",
    alias_separator: Annotated[
        str, typer.Option("--alias-separator", help="Separator of names in the aliases column.")
    ] = ";",
    date_order: Annotated[
        DateOrderChoice | None,
        typer.Option(
            "--date-order",
            help="Read 03/04/2020 as day/month (dmy) or month/day (mdy).",
            case_sensitive=False,
        ),
    ] = None,
    max_item_mb: Annotated[
        int,
        max_item_option(
            "Largest row (or FollowTheMoney entity) accepted, in MB; a larger one is refused."
        ),
    ] = MAX_ITEM_MB,
    max_depth: MaxDepth = MAX_DEPTH,
    max_ratio: MaxRatio = MAX_RATIO,
) -> None:
    """Import a sanctions or debarment list as measures against vendors; safe to repeat."""
    from procwatch.domain import MeasureKind
    from procwatch.importers.cleaning import DateOrder
    from procwatch.importers.columns import parse_mapping
    from procwatch.importers.measures import MeasureImportOptions, import_measures

    options = MeasureImportOptions(
        preset=preset,
        mapping=parse_mapping(mapping or []),
        skip_rows=skip_rows,
        header=not no_header,
        sheet=sheet,
        encoding=encoding,
        alias_separator=alias_separator,
        date_order=DateOrder(date_order.value) if date_order else None,
        kind=MeasureKind(kind.value) if kind else None,
        authority=authority,
        country=country,
        list_name=list_name,
        end_missing=end_missing,
        limits=input_limits(max_item_mb, max_depth, max_ratio),
    )
    with ProgressBar() as progress, open_store(ctx) as store:
        summary = import_measures(store, path, options, progress)
    name = "stdin" if str(path) == "-" else path.name
    print_summary(summary, ("vendors", "measures", "citations"), f"Imported {name}")
    if summary.run_id is not None:
        print_changes(ctx, summary.run_id)
