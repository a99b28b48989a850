"""procwatch export: CSV summaries and tables, and contracts as an OCDS release package."""

from typing import Annotated

import typer

from procwatch.cli.render import CsvSafeOption, OutputOption
from procwatch.cli.session import open_connection

app = typer.Typer(
    help="Write CSV summaries and tables (to the terminal, or a file with --output).",
    no_args_is_help=True,
    rich_markup_mode=None,
)


def _export(ctx: typer.Context, name: str, output: OutputOption, csv_safe: bool) -> None:
    from procwatch.exports import EXPORTS
    from procwatch.output import open_output

    with open_connection(ctx) as connection, open_output(output) as handle:
        EXPORTS[name].write(connection, handle, csv_safe)


@app.command("contracts-summary")
def contracts_summary(
    ctx: typer.Context, output: OutputOption = None, csv_safe: CsvSafeOption = False
) -> None:
    """Contracts per vendor, country, year and currency: count, exact total, unknown, estimated."""
    _export(ctx, "contracts-summary", output, csv_safe)


@app.command("measures-summary")
def measures_summary(
    ctx: typer.Context, output: OutputOption = None, csv_safe: CsvSafeOption = False
) -> None:
    """Measures per country and kind: count, vendors, first and last date."""
    _export(ctx, "measures-summary", output, csv_safe)


@app.command("contracts")
def contracts(
    ctx: typer.Context, output: OutputOption = None, csv_safe: CsvSafeOption = False
) -> None:
    """Every contract with vendor, buyer and country names (streamed)."""
    _export(ctx, "contracts", output, csv_safe)


@app.command("measures")
def measures(
    ctx: typer.Context, output: OutputOption = None, csv_safe: CsvSafeOption = False
) -> None:
    """Every measure with vendor and country names (streamed)."""
    _export(ctx, "measures", output, csv_safe)


@app.command("ocds")
def ocds(
    ctx: typer.Context,
    vendor: Annotated[
        str | None,
        typer.Option("--vendor", "-v", help="Only this vendor's contracts (name or alias)."),
    ] = None,
    country: Annotated[
        str | None,
        typer.Option("--country", "-c", help="Only contracts of this country (ISO code or name)."),
    ] = None,
    ocid_prefix: Annotated[
        str,
        typer.Option(
            "--ocid-prefix",
            envvar="PROCWATCH_OCID_PREFIX",
            help="Your registered ocid prefix, for contracts that did not come from OCDS.",
        ),
    ] = "ocds-procwatch",
    publisher: Annotated[
        str, typer.Option("--publisher", help="Publisher name written in the package.")
    ] = "procwatch",
    published: Annotated[
        str | None,
        typer.Option(
            "--published-date",
            help="Package and release date (ISO 8601); default: now. Fix it for reproducible "
            "files.",
        ),
    ] = None,
    uri: Annotated[
        str | None,
        typer.Option("--uri", help="The package's URI; default: urn:procwatch:export:DATE."),
    ] = None,
    output: OutputOption = None,
) -> None:
    """Contracts as an OCDS 1.1 release package: parties, buyer, method, awards, contracts."""
    from procwatch.exports_ocds import write_release_package
    from procwatch.output import open_output

    with open_connection(ctx) as connection, open_output(output) as handle:
        write_release_package(
            connection,
            handle,
            vendor=vendor,
            country=country,
            ocid_prefix=ocid_prefix,
            publisher=publisher,
            published=published,
            uri=uri,
        )
