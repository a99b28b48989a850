"""A database password never reaches the screen, whatever fails and however it is given."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import make_url
from typer.testing import CliRunner

from procwatch.cli import app
from procwatch.db import masked_url
from tests.helpers import procwatch_command
from tests.postgres_server import ENV_POSTGRES

OCDS = sorted((Path(__file__).resolve().parents[1] / "fixtures" / "ocds").glob("*.json"))[0]
# Passwords with the characters that end a URL's parts early: each must vanish whole.
PASSWORDS = ("Zq8SecretPw", "Zq8Sec/retPw", "Zq8Sec:retPw", "Zq8Sec%40retPw", "Zq8Sec@retPw")
COMMANDS = (
    ["contracts"],
    ["db", "upgrade"],
    ["db", "current"],
    ["db", "seed"],
    ["import", "ocds", str(OCDS)],
    ["export", "contracts"],
)


def failing_urls(password: str) -> dict[str, str]:
    """Return URLs with a password that each fail on a different path."""
    urls = {
        "unknown driver": f"nosuchdriver://user:{password}@host/db",
        "psycopg2 missing": f"postgresql+psycopg2://user:{password}@host/db",
        "mysql": f"mysql://user:{password}@host/db",
        "oracle": f"oracle://user:{password}@host/db",
        "sqlite with a user": f"sqlite://user:{password}@host/file.db",
        "unresolvable host": f"postgresql+psycopg://user:{password}@no-such-host.invalid/db",
        "nothing listens": f"postgresql+psycopg://user:{password}@127.0.0.1:1/db",
        "non-numeric port": f"postgresql+psycopg://user:{password}@127.0.0.1:port/db",
        "password in the query": f"postgresql+psycopg://user@127.0.0.1:1/db?password={password}",
        "query, unknown driver": f"nosuchdriver://user@host/db?password={password}",
    }
    server = os.environ.get(ENV_POSTGRES)
    if server:
        real = make_url(server)
        # The test server trusts its clients: the password is ignored, the database is not.
        urls["wrong database"] = (
            f"postgresql+psycopg://{real.username}:{password}@{real.host}:{real.port or 5432}"
            "/procwatch_no_such_database"
        )
    return urls


def leaked(password: str, output: str) -> list[str]:
    # The password whole, and each part a parser might cut it into.
    pieces = {password, *re.split(r"[/:@]|%40", password)} - {""}
    return [piece for piece in pieces if len(piece) >= 3 and piece in output]


@pytest.mark.parametrize("password", PASSWORDS)
def test_no_failure_prints_the_password(
    password: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for name, url in failing_urls(password).items():
        for command in COMMANDS:
            for given in ("--db", "PROCWATCH_DB"):
                if given == "--db":
                    monkeypatch.delenv("PROCWATCH_DB", raising=False)
                    result = CliRunner().invoke(app, ["--db", url, *command])
                else:
                    monkeypatch.setenv("PROCWATCH_DB", url)
                    result = CliRunner().invoke(app, command)
                where = (name, command, given, result.output)
                assert result.exit_code == 4, where
                assert not leaked(password, result.stdout + result.stderr), where
                assert result.stdout == "", where
                assert re.fullmatch(r"Error: [^\n]+\n", result.stderr), where


def test_no_failure_prints_the_password_in_a_real_process(tmp_path: Path) -> None:
    # Warnings and logging write to the process's own stderr, which CliRunner may not see.
    password = "Zq8Sec/ret@Pw"
    for name, url in failing_urls(password).items():
        environment = {**os.environ, "PROCWATCH_DB": url}
        finished = subprocess.run(
            procwatch_command("import", "ocds", OCDS),
            capture_output=True,
            text=True,
            env=environment,
            cwd=tmp_path,
            check=False,
        )
        assert finished.returncode == 4, (name, finished.stderr)
        assert not leaked(password, finished.stdout + finished.stderr), (name, finished.stderr)
        assert finished.stderr.count("\n") == 1, (name, finished.stderr)


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://u:pw@h/db", "postgresql://u:***@h/db"),
        ("postgresql://u:p/w@h/db", "postgresql://u:***@h/db"),
        ("postgresql://u:p@w@h:5432/db", "postgresql://u:***@h:5432/db"),
        ("postgresql://u:@h/db", "postgresql://u:***@h/db"),
        (
            "postgresql://u@h/db?sslmode=require&password=pw",
            "postgresql://u@h/db?sslmode=require&password=***",
        ),
        ("postgresql://u@h/db", "postgresql://u@h/db"),
        ("postgresql://h:5432/db", "postgresql://h:5432/db"),
        ("sqlite:////data/a:b@c.db", "sqlite:////data/a:b@c.db"),
        ("not a url", "not a url"),
    ],
)
def test_masked_url(url: str, shown: str) -> None:
    assert masked_url(url) == shown
