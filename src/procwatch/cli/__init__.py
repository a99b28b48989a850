"""The procwatch command line: parse, call one library function, render."""

from typing import Annotated, Any, Optional

import typer
from typer.core import TyperGroup

from procwatch import __version__
from procwatch.cli import (
    bans,
    check,
    contracts,
    db,
    export,
    flags,
    import_,
    jurisdictions,
    timeline,
    vendors,
)
from procwatch.errors import ProcwatchError


class ProcwatchGroup(TyperGroup):
    """The root command: where ProcwatchError becomes `Error: ...` and an exit code."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except ProcwatchError as error:
            typer.echo(f"Error: {error}", err=True)
            raise typer.Exit(int(error.exit_code)) from None


app = typer.Typer(
    cls=ProcwatchGroup,
    name="procwatch",
    help="Public contracts of vendors and the bans, restrictions and investigations against them.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"procwatch {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    database: Annotated[
        Optional[str],  # noqa: UP045 - Typer reads the annotation at runtime
        typer.Option(
            "--db",
            help="Database file or SQLAlchemy URL (default: PROCWATCH_DB, then the user data dir).",
            metavar="PATH_OR_URL",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Public contracts of vendors and the bans, restrictions and investigations against them."""
    ctx.obj = database


app.command("contracts")(contracts.contracts)
app.command("bans")(bans.bans)
app.add_typer(vendors.app, name="vendors")
app.command("vendor")(vendors.vendor)
app.command("jurisdictions")(jurisdictions.jurisdictions)
app.command("check")(check.check)
app.command("flags")(flags.flags)
app.command("timeline")(timeline.timeline)
app.add_typer(import_.app, name="import")
app.add_typer(export.app, name="export")
app.add_typer(db.app, name="db")


def main() -> None:
    """Run the procwatch command line."""
    app(prog_name="procwatch")
