"""procwatch timeline VENDOR: contracts and measures in date order, and a chart with --png."""

from pathlib import Path
from typing import Annotated

import typer

from procwatch.cli.options import AsOfOption
from procwatch.cli.render import (
    Column,
    CsvSafeOption,
    FormatOption,
    LimitOption,
    OutputFormat,
    OutputOption,
    VendorArgument,
    issuer_text,
    period_text,
)
from procwatch.cli.session import open_connection
from procwatch.money import readable_amount

COLUMNS = [
    Column("Date", lambda e: period_text(e.date, e.date_end, "undated")),
    Column("Country", lambda e: issuer_text(e.country, e.origin)),
    Column("Event", lambda e: e.kind),
    Column("What", lambda e: e.title if e.buyer is None else f"{e.title} ({e.buyer})"),
    Column(
        "Amount",
        lambda e: (
            readable_amount(e.amount, e.currency, e.amount_is_estimate)
            if e.kind == "contract"
            else ""
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
            help="Also draw the timeline as a PNG chart to this file (- for stdout).",
            metavar="FILE",
        ),
    ] = None,
    as_of: AsOfOption = None,
    fmt: FormatOption = OutputFormat.table,
    csv_safe: CsvSafeOption = False,
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
        from procwatch.output import open_binary_output
        from procwatch.screening.chart import timeline_png

        chart = timeline_png(found)
        with open_binary_output(png) as handle:
            handle.write(chart)
        if str(png) == "-" and output is None:
            return  # stdout holds the chart: a listing after it would corrupt the PNG
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
        csv_safe=csv_safe,
        title=title,
        record_type=TimelineEvent,
        caption=caption,
        limit=limit,
    )
