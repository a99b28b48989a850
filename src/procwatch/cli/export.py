"""procwatch export: CSV summaries and full tables for reports and spreadsheets."""

import typer

from procwatch.cli.render import OutputOption
from procwatch.cli.session import open_session

app = typer.Typer(
    help="Write CSV summaries and tables (to the terminal, or a file with --output).",
    no_args_is_help=True,
    rich_markup_mode=None,
)


def _export(ctx: typer.Context, name: str, output: OutputOption) -> None:
    from procwatch.exports import EXPORTS
    from procwatch.output import open_output

    with open_session(ctx) as session, open_output(output) as handle:
        EXPORTS[name].write(session, handle)


@app.command("contracts-summary")
def contracts_summary(ctx: typer.Context, output: OutputOption = None) -> None:
    """Contracts per vendor, country, year and currency: count, exact total, unknown, estimated."""
    _export(ctx, "contracts-summary", output)


@app.command("measures-summary")
def measures_summary(ctx: typer.Context, output: OutputOption = None) -> None:
    """Measures per country and kind: count, vendors, first and last date."""
    _export(ctx, "measures-summary", output)


@app.command("contracts")
def contracts(ctx: typer.Context, output: OutputOption = None) -> None:
    """Every contract with vendor, buyer and country names (streamed)."""
    _export(ctx, "contracts", output)


@app.command("measures")
def measures(ctx: typer.Context, output: OutputOption = None) -> None:
    """Every measure with vendor and country names (streamed)."""
    _export(ctx, "measures", output)
