import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from procwatch.cli import app


@pytest.mark.parametrize("args", [["-h"], ["contracts", "-h"], ["vendors", "list", "-h"]])
def test_h_is_help_everywhere(args: list[str]) -> None:
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0
    assert result.output.startswith("Usage: procwatch")


@pytest.mark.parametrize(
    "args",
    [
        ["export", "contracts"],
        ["contracts"],
        *(["contracts", "--format", fmt] for fmt in ("csv", "tsv", "json", "nl")),
        ["vendor", "Nuctech", "--format", "nl"],
        ["timeline", "Nuctech", "--png", "-"],
    ],
)
def test_a_closed_pipe_ends_quietly_with_exit_0(tmp_path: Path, args: list[str]) -> None:
    env = {**os.environ, "PROCWATCH_DB": str(tmp_path / "procwatch.db")}
    # Create and seed the database first, so that the piped run only writes.
    subprocess.run([sys.executable, "-m", "procwatch", "db", "upgrade"], env=env, check=True)
    run = subprocess.Popen(
        [sys.executable, "-m", "procwatch", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert run.stdout is not None and run.stderr is not None
    run.stdout.close()  # the reader goes away before the first row, as `| head -0` would
    stderr = run.stderr.read()
    assert run.wait() == 0
    assert stderr == b""


def test_shell_completion_is_offered() -> None:
    from typer.testing import CliRunner

    from procwatch.cli import app

    result = CliRunner().invoke(app, ["--help"])
    assert "--install-completion" in result.stdout
    assert "--show-completion" in result.stdout
