"""procwatch import ocds: OCDS releases, records and packages into vendors, buyers, contracts."""

from pathlib import Path
from typing import Annotated

import typer

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


def ocds(
    ctx: typer.Context,
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="OCDS files or folders: packages, records, releases, JSON arrays, JSON lines, "
            "gzip-compressed or not; '-' reads stdin.",
            metavar="PATH",
        ),
    ],
    country: Annotated[
        str | None,
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
    max_item_mb: Annotated[
        int,
        max_item_option(
            "Largest release, record or package header accepted, in MB of JSON; a larger "
            "one is refused (skipped with --skip-invalid)."
        ),
    ] = MAX_ITEM_MB,
    max_depth: MaxDepth = MAX_DEPTH,
    max_ratio: MaxRatio = MAX_RATIO,
) -> None:
    """Import OCDS data: merge each process's releases, then add vendors, buyers, contracts.

    Importing the same files again changes nothing; newer releases update their contracts.
    Without --skip-invalid, one bad release or file means nothing is imported.
    """
    from procwatch.importers.ocds import import_ocds

    with ProgressBar() as progress, open_store(ctx) as store:
        summary = import_ocds(
            store,
            paths,
            country=country,
            encoding=encoding,
            skip_invalid=skip_invalid,
            progress=progress,
            limits=input_limits(max_item_mb, max_depth, max_ratio),
        )
    print_summary(summary, ("vendors", "buyers", "contracts"), "Imported")
