"""`procwatch --help` and read commands stay light: what a fresh process imports."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PROBE = """
import json, os, sys
sys.argv = ["procwatch", *json.loads(os.environ["PROBE_ARGS"])]
from procwatch.cli import main
try:
    main()
except SystemExit as exit:
    code = exit.code
else:
    code = 0
with open(os.environ["PROBE_OUT"], "w") as out:
    json.dump({"code": code, "modules": sorted(sys.modules)}, out)
"""


def modules(tmp_path: Path, *args: str) -> set[str]:
    """Run procwatch in a fresh interpreter and return the modules it imported."""
    out = tmp_path / "probe.json"
    env = {**os.environ, "PROBE_ARGS": json.dumps(args), "PROBE_OUT": str(out)}
    subprocess.run(
        [sys.executable, "-c", PROBE], env=env, check=True, capture_output=True, timeout=60
    )
    found = json.loads(out.read_text())
    assert found["code"] in (0, None), args
    return set(found["modules"])


def imported(tmp_path: Path, *args: str) -> set[str]:
    """Run procwatch in a fresh interpreter and return the top-level packages it imported."""
    return {name.split(".")[0] for name in modules(tmp_path, *args)}


def test_help_imports_neither_sqlalchemy_nor_pandas(tmp_path: Path) -> None:
    packages = imported(tmp_path, "--help")
    assert "typer" in packages
    assert packages.isdisjoint({"sqlalchemy", "pandas", "numpy", "alembic", "pycountry"})


@pytest.mark.parametrize(
    "command",
    [
        ["contracts", "--vendor", "Nuctech"],
        ["contracts", "--country", "PL", "--format", "json"],
        ["bans", "--kind", "ban"],
        ["vendors", "nuc"],
        ["vendor", "Nuctech", "--format", "csv"],
        ["jurisdictions"],
        ["export", "contracts"],
        ["export", "contracts-summary"],
        ["export", "measures-summary"],
        ["db", "current"],
    ],
    ids=" ".join,
)
def test_read_commands_import_neither_pandas_nor_alembic(
    tmp_path: Path, db_url: str, command: list[str]
) -> None:
    packages = imported(tmp_path, "--db", db_url, *command)
    assert "sqlalchemy" in packages
    assert packages.isdisjoint({"pandas", "numpy", "alembic"})


@pytest.mark.parametrize(
    "command",
    [
        ["contracts", "--vendor", "Nuctech"],
        ["contracts", "--country", "PL", "--buyer", "tax", "--since", "2020"],
        ["bans", "--country", "EU"],
        ["vendors", "nuc"],
        ["vendor", "Nuctech"],
        ["jurisdictions"],
        ["flags"],
        ["check", "Nuctech"],
        ["timeline", "Nuctech"],
        ["export", "contracts-summary", "-o", "-"],
        ["export", "contracts", "-o", "-"],
    ],
    ids=" ".join,
)
def test_read_commands_select_from_tables_without_the_orm_models(
    tmp_path: Path, db_url: str, command: list[str]
) -> None:
    # Importing the ORM classes and configuring their mappers cost `contracts --vendor`
    # about 55 ms more than selecting from the Core tables does, and importing
    # sqlalchemy.orm at all (for a Session) another 120 ms.
    found = modules(tmp_path, "--db", db_url, *command)
    assert "procwatch.tables" in found
    assert "procwatch.models" not in found
    assert "sqlalchemy.orm" not in found
