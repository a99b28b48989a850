"""procwatch import measures: sanctions and debarment lists (CSV, XLSX, FollowTheMoney)."""

import enum
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from procwatch.cli.session import open_session


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
            help="The list: procwatch CSV, FollowTheMoney JSON lines (.json, .gz), CSV or XLSX.",
            dir_okay=False,
            metavar="PATH",
        ),
    ],
    preset: Annotated[
        Optional[str],  # noqa: UP045 - Typer reads the annotation at runtime
        typer.Option(
            "--preset", help="A known list's layout: us-csl (US Consolidated Screening List)."
        ),
    ] = None,
    mapping: Annotated[
        Optional[list[str]],  # noqa: UP045 - Typer reads the annotation at runtime
        typer.Option(
            "--map",
            help='FIELD=COLUMN, e.g. name="Firm Name" start="Ineligible From"; a number for files '
            "without a header (1 is the first column). Repeat for each field.",
            metavar="FIELD=COLUMN",
        ),
    ] = None,
    kind: Annotated[
        Optional[Kind],  # noqa: UP045 - Typer reads the annotation at runtime
        typer.Option(
            "--kind", "-k", help="Kind of every measure (overrides the file).", case_sensitive=False
        ),
    ] = None,
    authority: Annotated[
        Optional[str],  # noqa: UP045 - Typer reads the annotation at runtime
        typer.Option(
            "--authority", help="Authority that decided every measure (overrides the file)."
        ),
    ] = None,
    country: Annotated[
        Optional[str],  # noqa: UP045 - Typer reads the annotation at runtime
        typer.Option(
            "--country",
            "-c",
            help="Jurisdiction of every measure: ISO code or name (overrides the file).",
        ),
    ] = None,
    list_name: Annotated[
        Optional[str],  # noqa: UP045 - Typer reads the annotation at runtime
        typer.Option("--list", help="Name of the list in measure keys (default: the file's name)."),
    ] = None,
    skip_rows: Annotated[
        int,
        typer.Option("--skip-rows", help="Rows to skip before the header (titles, notes).", min=0),
    ] = 0,
    no_header: Annotated[
        bool,
        typer.Option("--no-header", help="The file has no header row: --map by column number."),
    ] = False,
    sheet: Annotated[
        Optional[str],  # noqa: UP045 - Typer reads the annotation at runtime
        typer.Option("--sheet", help="XLSX sheet to read (default: the first)."),
    ] = None,
    encoding: Annotated[
        str, typer.Option("--encoding", help="Text encoding of a CSV file.")
    ] = "utf-8-sig",
    alias_separator: Annotated[
        str, typer.Option("--alias-separator", help="Separator of names in the aliases column.")
    ] = ";",
    date_order: Annotated[
        Optional[DateOrderChoice],  # noqa: UP045 - Typer reads the annotation at runtime
        typer.Option(
            "--date-order",
            help="Read 03/04/2020 as day/month (dmy) or month/day (mdy).",
            case_sensitive=False,
        ),
    ] = None,
) -> None:
    """Import a sanctions or debarment list as measures against vendors; safe to repeat."""
    from procwatch.importers.cleaning import DateOrder
    from procwatch.importers.measures import MeasureImportOptions, import_measures, parse_mapping
    from procwatch.models import MeasureKind

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
    )
    with open_session(ctx, write=True) as session, _ProgressBar(path) as progress:
        summary = import_measures(session, path, options, progress)
    _print_summary(path, summary)


class _ProgressBar:
    """A Rich progress bar that shows itself only on a terminal."""

    def __init__(self, path: Path) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn

        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TaskProgressColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self.tasks: dict[str, Any] = {}
        self.name = path.name

    def __enter__(self) -> Any:
        # Off a terminal (pipes, CI, tests) a bar would only leave blank lines behind.
        self.shown = self.progress.console.is_terminal
        if self.shown:
            self.progress.start()
        return self.update

    def __exit__(self, *exc: object) -> None:
        if self.shown:
            self.progress.stop()

    def update(self, stage: str, done: int, total: int) -> None:
        if stage not in self.tasks:
            self.tasks[stage] = self.progress.add_task(
                f"{stage.capitalize()} {self.name}", total=total
            )
        self.progress.update(self.tasks[stage], completed=done, total=total)


def _print_summary(path: Path, summary: Any) -> None:
    from rich.console import Console
    from rich.table import Table

    from procwatch.importers import Outcome

    table = Table(title=f"Imported {path.name}")
    table.add_column("Records")
    for outcome in Outcome:
        table.add_column(outcome.value.capitalize(), justify="right")
    for name in ("vendors", "measures", "citations"):
        table.add_row(name, *(str(summary.get(name, outcome)) for outcome in Outcome))
    console = Console()
    console.print(table)
    if summary.warnings:
        warnings = Table(title="Warnings")
        warnings.add_column("Rows", justify="right")
        warnings.add_column("Warning")
        for message, count in summary.warnings.most_common():
            warnings.add_row(str(count), message)
        console.print(warnings)
