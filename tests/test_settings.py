from pathlib import Path

import pytest

from procwatch.settings import database_url


def test_option_wins_over_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROCWATCH_DB", "/tmp/env.db")
    assert database_url("/tmp/option.db") == "sqlite:////tmp/option.db"
    assert database_url(None) == "sqlite:////tmp/env.db"


def test_urls_pass_through() -> None:
    url = "postgresql+psycopg://analyst@db.example/procwatch"
    assert database_url(url) == url


def test_default_is_in_the_user_data_dir(tmp_path: Path) -> None:
    # conftest points the default at tmp_path so no test touches the real one.
    assert database_url(None) == f"sqlite:///{tmp_path / 'default' / 'procwatch.db'}"
