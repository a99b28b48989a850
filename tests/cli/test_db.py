import subprocess
import sys

from sqlalchemy import text

from procwatch.db import session_scope
from procwatch.migrate import HEAD, open_database


def test_two_seeds_into_a_new_database_at_once_create_it_once(empty_db_url: str) -> None:
    seeds = [
        subprocess.Popen(
            [sys.executable, "-m", "procwatch", "--db", empty_db_url, "db", "seed"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [seed.communicate(timeout=120) for seed in seeds]
    assert [seed.returncode for seed in seeds] == [0, 0], outputs
    assert sorted(out for out, _ in outputs) == ["Seed loaded: nothing new.\n"] * 2
    engine = open_database(empty_db_url)
    with session_scope(engine) as session:
        assert session.scalar(text("SELECT count(*) FROM contracts")) == 4
        assert session.scalar(text("SELECT count(*) FROM citations")) == 20
        assert session.scalar(text("SELECT version_num FROM alembic_version")) == HEAD
    engine.dispose()


def test_db_current_of_a_database(procwatch) -> None:  # type: ignore[no-untyped-def]
    result = procwatch("db", "current")
    assert result.exit_code == 0
    assert result.output.endswith(f": revision {HEAD} (current).\n")
