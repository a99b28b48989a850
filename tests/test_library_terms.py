"""The library speaks in its own terms: no message below cli/ names a command-line flag.

A message names a setting as `kind` (errors.SETTING); the CLI spells it as the flag that
gives it (cli.render.cli_terms), so the library reads the same to a Python caller.
"""

import ast
import re
from pathlib import Path

import pytest

from procwatch.cli.render import FLAGS, cli_terms

SOURCE = Path(__file__).resolve().parents[1] / "src" / "procwatch"
FLAG = re.compile(r"(?<![\w-])--[a-z][a-z-]*")
LIBRARY = sorted(
    path for path in SOURCE.rglob("*.py") if "cli" not in path.relative_to(SOURCE).parts
)


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


@pytest.mark.parametrize("path", LIBRARY, ids=lambda path: str(path.relative_to(SOURCE)))
def test_no_library_string_names_a_flag(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = _docstrings(tree)
    named = [
        f"line {node.lineno}: {node.value!r}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
        and FLAG.search(node.value)
    ]
    assert named == []


def test_the_cli_spells_each_setting_as_its_flag() -> None:
    assert cli_terms("rows without a kind; skipped (give `kind`)") == (
        "rows without a kind; skipped (give --kind)"
    )
    assert cli_terms("; `skip_invalid` imports the rest") == "; --skip-invalid imports the rest"
    # A word in backticks that is no setting stays as written.
    assert cli_terms("a vendor named `acme`") == "a vendor named `acme`"
    assert set(FLAGS) >= {"kind", "country", "encoding", "map", "preset", "skip_invalid"}
