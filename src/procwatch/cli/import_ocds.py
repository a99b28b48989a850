"""procwatch import ocds: OCDS releases, records and packages into vendors, buyers, contracts."""

import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from procwatch.cli.session import open_session

if TYPE_CHECKING:
    from procwatch.importers import ImportSummary

# The progress bar appears only once an import has run this long (seconds).
PROGRESS_DELAY = 0.5


def ocds(
    ctx: typer.Context,
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="OCDS files or folders: packages, records, releases, JSON arrays, JSON lines, "
            "gzip-compressed or not.",
            metavar="PATH",
        ),
    ],
    country: Annotated[
        Optional[str],  # noqa: UP045 - Typer reads the annotation at runtime
        typer.Option(
            "--country",
            "-c",
            help="Country of the buyers (ISO code or name); default: the buyers' addresses.",
        ),
    ] = None,
    encoding: Annotated[
        str, typer.Option("--encoding", "-e", help="Text encoding of the files, e.g. iso-8859-1.")
    ] = "utf-8",
    skip_invalid: Annotated[
        bool,
        typer.Option(
            "--skip-invalid",
            help="Import the good releases and report the bad ones (and files that are not "
            "JSON) instead of importing nothing.",
        ),
    ] = False,
) -> None:
    """Import OCDS data: merge each process's releases, then add vendors, buyers, contracts.

    Importing the same files again changes nothing; newer releases update their contracts.
    Without --skip-invalid, one bad release or file means nothing is imported.
    """
    from procwatch.importers.ocds import import_ocds

    with _LazyProgress() as progress, open_session(ctx, write=True) as session:
        summary = import_ocds(
            session,
            paths,
            country=country,
            encoding=encoding,
            skip_invalid=skip_invalid,
            progress=progress,
        )
    print_summary(summary, ("vendors", "buyers", "contracts"))


class _LazyProgress:
    """A Rich progress bar on stderr that shows itself only when an import takes a while."""

    def __enter__(self) -> "_LazyProgress":
        self.started = time.monotonic()
        self.bar: Any = None
        self.tasks: dict[str, Any] = {}
        return self

    def __call__(self, what: str, done: int, total: int) -> None:
        if self.bar is None:
            if time.monotonic() - self.started < PROGRESS_DELAY:
                return
            from rich.console import Console
            from rich.progress import Progress

            self.bar = Progress(console=Console(stderr=True), transient=True)
            self.bar.start()
        if what not in self.tasks:
            self.tasks[what] = self.bar.add_task(what, total=total)
        self.bar.update(self.tasks[what], completed=done, total=total)

    def __exit__(self, *_: object) -> None:
        if self.bar is not None:
            self.bar.stop()


def print_summary(summary: "ImportSummary", tables: tuple[str, ...]) -> None:
    """Print added, updated and unchanged counts per table, then warnings and rejections."""
    from rich.console import Console
    from rich.table import Table

    from procwatch.importers import Outcome

    console = Console(highlight=False)
    table = Table(title="Imported")
    table.add_column("Records")
    for outcome in Outcome:
        table.add_column(outcome.value.capitalize(), justify="right")
    for name in tables:
        table.add_row(name, *(str(summary.get(name, outcome)) for outcome in Outcome))
    console.print(table)
    for message, count in sorted(summary.warnings.items()):
        console.print(f"Warning ({count}x): {message}", markup=False, soft_wrap=True)
    if summary.rejected:
        console.print(f"Rejected {len(summary.rejected)}:", markup=False)
        for message in summary.rejected:
            console.print(f"  {message}", markup=False, soft_wrap=True)
