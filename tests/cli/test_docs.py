"""Every command and option has help text, and the README documents every command."""

from pathlib import Path

import pytest
import typer
from typer.main import get_command

from procwatch.cli import app

README = Path(__file__).resolve().parents[2] / "README.md"


def _commands(command: object, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], object]]:
    found = [(path, command)]
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        found += _commands(sub, (*path, name))
    return found


COMMANDS = _commands(get_command(app))


@pytest.mark.parametrize(
    ("path", "command"), COMMANDS, ids=[" ".join(p) or "procwatch" for p, _ in COMMANDS]
)
def test_every_command_and_option_has_help(
    path: tuple[str, ...], command: typer.core.TyperCommand
) -> None:
    assert (command.help or "").strip(), f"{' '.join(path)} has no help"
    for param in command.params:
        if getattr(param, "hidden", False) or param.param_type_name == "argument":
            continue
        assert (getattr(param, "help", None) or "").strip(), f"{path} {param.name} has no help"


@pytest.mark.parametrize(
    "path",
    [p for p, c in COMMANDS if p and not isinstance(c, typer.core.TyperGroup)],
    ids=lambda p: " ".join(p),
)
def test_readme_shows_every_command(path: tuple[str, ...]) -> None:
    readme = README.read_text(encoding="utf-8")
    shown = " ".join(word for word in path if word != "list")
    assert f"procwatch {shown}" in readme or (path[-1] == "list" and "procwatch vendors" in readme)
