"""The procwatch command line: parse, call one library function, render."""

import importlib
from collections.abc import Iterator, MutableMapping
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from procwatch import __version__
from procwatch.errors import ExitCode, ProcwatchError

# The commands, in the order help lists them, and where each one's function or Typer app is.
COMMANDS = {
    "contracts": "procwatch.cli.contracts:contracts",
    "bans": "procwatch.cli.bans:bans",
    "vendor": "procwatch.cli.vendors:vendor",
    "jurisdictions": "procwatch.cli.jurisdictions:jurisdictions",
    "check": "procwatch.cli.check:check",
    "flags": "procwatch.cli.flags:flags",
    "timeline": "procwatch.cli.timeline:timeline",
    "vendors": "procwatch.cli.vendors:app",
    "import": "procwatch.cli.import_:app",
    "export": "procwatch.cli.export:app",
    "db": "procwatch.cli.db:app",
}


class LazyCommands(MutableMapping[str, Any]):
    """The root's click commands by name, each imported and built the first time it is used.

    Importing every command module and letting Typer build every command's options took
    about 13 ms of each command's start-up, for the one command that runs. Help and the
    suggestions for a mistyped command still see every name.
    """

    def __init__(self, targets: dict[str, str]) -> None:
        self.targets = dict(targets)
        self.built: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        if name not in self.built:
            module, attribute = self.targets[name].split(":")
            target = getattr(importlib.import_module(module), attribute)
            # Typer builds the command exactly as when it is registered on the root app.
            holder = typer.Typer(rich_markup_mode=None)
            if isinstance(target, typer.Typer):
                holder.add_typer(target, name=name)
            else:
                holder.command(name)(target)
            self.built[name] = typer.main.get_group(holder).commands[name]
        return self.built[name]

    def __setitem__(self, name: str, command: Any) -> None:
        # A command added ready-built (click's add_command) has nothing to import.
        self.targets.setdefault(name, "")
        self.built[name] = command

    def __delitem__(self, name: str) -> None:
        del self.targets[name]
        self.built.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(self.targets)

    def __len__(self) -> int:
        return len(self.targets)


class ProcwatchGroup(TyperGroup):
    """The root command: where ProcwatchError becomes `Error: ...` and an exit code."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.commands = LazyCommands(COMMANDS)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except ProcwatchError as error:
            typer.echo(f"Error: {error}", err=True)
            raise typer.Exit(int(error.exit_code)) from None
        except (MemoryError, RecursionError) as error:
            # Importers name the file when reading runs out; this is the last resort, after
            # the session has rolled back, so that no Python exception name reaches the user.
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
    add_completion=False,
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


def main() -> None:
    """Run the procwatch command line."""
    app(prog_name="procwatch")
