"""procwatch timeline VENDOR: contracts and measures in date order, and a chart with --png."""

from pathlib import Path
from typing import Annotated

import typer

from procwatch.cli.options import AsOfOption
from procwatch.cli.render import (
    Column,
    FormatOption,
    LimitOption,
    OutputFormat,
    OutputOption,
    VendorArgument,
    amount_text,
    issuer_text,
    period_text,
)
from procwatch.cli.session import open_connection

COLUMNS = [
    Column("Date", lambda e: period_text(e.date, e.date_end, "undated")),
    Column("Country", lambda e: issuer_text(e.country, e.origin)),
    Column("Event", lambda e: e.kind),
    Column("What", lambda e: e.title if e.buyer is None else f"{e.title} ({e.buyer})"),
    Column(
        "Amount",
        lambda e: (
            amount_text(e.amount, e.currency, e.amount_is_estimate) if e.kind == "contract" else ""
        ),
        justify="right",
    ),
]


def timeline(
    ctx: typer.Context,
    vendor: VendorArgument,
    png: Annotated[
        Path | None,
        typer.Option(
            "--png",
            help="Also draw the timeline as a PNG chart to this file.",
            dir_okay=False,
            metavar="FILE",
        ),
    ] = None,
    as_of: AsOfOption = None,
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
    limit: LimitOption = None,
) -> None:
    """Show a vendor's contracts and measures in date order across jurisdictions.

    Only what had (possibly) begun by the as-of date is shown; the chart runs to that date.
    """
    from procwatch.cli.render import render, write_json
    from procwatch.screening.timeline import TimelineEvent, vendor_timeline

    with open_connection(ctx) as connection:
        found = vendor_timeline(connection, vendor, as_of=as_of)
    if png is not None:
        from procwatch.screening.chart import timeline_png

        _write_bytes(png, timeline_png(found))
    if fmt is OutputFormat.json:
        # An object, not a bare list: a published timeline says when and from what it was made.
        write_json(found, output)
        return
    title = f"Timeline of {found.vendor}"
    caption = f"As of {found.origin.as_of}. {found.origin.sentence()}"
    render(
        found.events,
        COLUMNS,
        fmt,
        output,
        title=title,
        record_type=TimelineEvent,
        caption=caption,
        limit=limit,
    )


def _write_bytes(path: Path, data: bytes) -> None:
    import os
    import tempfile

    from procwatch.errors import OutputError

    if path.is_dir():
        raise OutputError(f"cannot write {path}: it is a directory")
    # A temporary file renamed over the target: a failed write leaves the old chart intact.
    try:
        descriptor, temporary = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
        )
    except OSError as error:
        raise OutputError(f"cannot write {path}: {error.strerror}") from None
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise OutputError(f"cannot write {path}: {error.strerror}") from None
