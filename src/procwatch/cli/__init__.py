"""The procwatch command line: parse, call one library function, render."""

from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from procwatch import __version__
from procwatch.cli import (
    bans,
    changes,
    check,
    contracts,
    db,
    export,
    flags,
    import_,
    imports,
    jurisdictions,
    screen,
    sources,
    timeline,
    vendors,
    watch,
)
from procwatch.cli.render import cli_terms
from procwatch.errors import ExitCode, ProcwatchError, Remedy

# The commands that fix an error the library names by its remedy, as the user types them.
_REMEDIES: dict[Remedy | None, str] = {
    Remedy.UPGRADE_SCHEMA: ": run 'procwatch db upgrade'",
    Remedy.CREATE_SCHEMA: " with 'procwatch db upgrade'",
}


class ProcwatchGroup(TyperGroup):
    """The root command: where ProcwatchError becomes `Error: ...` and an exit code."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except ProcwatchError as error:
            message = cli_terms(str(error))
            typer.echo(f"Error: {message}{_REMEDIES.get(error.remedy, '')}", err=True)
            raise typer.Exit(int(error.exit_code)) from None
        except (MemoryError, RecursionError) as error:
            # Importers name the file when reading runs out; this is the last resort, after
            # the store has rolled back, so that no Python exception name reaches the user.
            what = "memory" if isinstance(error, MemoryError) else "stack (data nested too deeply)"
            typer.echo(f"Error: procwatch ran out of {what}; nothing was changed", err=True)
            raise typer.Exit(int(ExitCode.ERROR)) from None
        except BrokenPipeError:
            # The reader went away (`procwatch export contracts | head`): end quietly with 0,
            # as other Unix tools do (click would exit 1). Python's docs advise pointing stdout
            # at devnull so that the flush at exit does not raise again.
            import os
            import sys

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(0) from None


app = typer.Typer(
    cls=ProcwatchGroup,
    name="procwatch",
    help="Public contracts of vendors and the bans, restrictions and investigations against them.",
    no_args_is_help=True,
    # Typer's --install-completion and --show-completion for bash, zsh, fish and PowerShell.
    add_completion=True,
    # -h as in most Unix tools; click passes the setting down to every subcommand.
    context_settings={"help_option_names": ["-h", "--help"]},
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
        str | None,
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


# The commands, in the order help lists them, each imported and built on every run. Their
# modules import only typer and each other at the top, so this costs a vendor query 5% more
# instructions than importing just its own module did (1.45 G against 1.39 G by valgrind,
# 1.07x its floor's 1.36 G) and `--help`, which builds every command anyway, nothing.
app.command("contracts")(contracts.contracts)
app.command("bans")(bans.bans)
app.command("vendor")(vendors.vendor)
app.command("jurisdictions")(jurisdictions.jurisdictions)
app.command("check")(check.check)
app.command("flags")(flags.flags)
app.command("timeline")(timeline.timeline)
app.add_typer(vendors.app, name="vendors")
app.add_typer(import_.app, name="import")
app.command("imports")(imports.imports)
app.command("sources")(sources.sources)
app.add_typer(screen.app, name="screen")
app.command("changes")(changes.changes)
app.add_typer(watch.app, name="watch")
app.add_typer(export.app, name="export")
app.add_typer(db.app, name="db")


def _exit_on(signum: int, _frame: object) -> None:
    # An exception, unlike the default action, unwinds the stack: transactions roll back and
    # temporary spools and files are removed. 128 + signal number, as a shell reports it.
    raise SystemExit(128 + signum)


def main() -> None:
    """Run the procwatch command line."""
    import signal

    # Ctrl-C already raises KeyboardInterrupt; `kill` and a closed terminal end the same way.
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _exit_on)
    app(prog_name="procwatch")
