"""Every import records a run: file, SHA-256, time, counts; a failed import records none."""

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import Connection, func, select

from procwatch import tables
from procwatch.domain import Outcome
from procwatch.errors import InvalidInputError
from procwatch.importers.measures import MeasureImportOptions, import_measures
from procwatch.importers.ocds import import_ocds
from procwatch.importers.runs import list_runs
from procwatch.store import Store

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
LIST = FIXTURES / "measures" / "procwatch-layout.csv"


def test_a_list_import_records_its_file_hash_and_counts(
    store: Store, connection: Connection
) -> None:
    summary = import_measures(store, LIST)
    (run,) = list_runs(connection)
    assert summary.run_id == run.id
    assert (run.kind, run.preset, run.path) == ("measures", None, str(LIST))
    assert run.sha256 == hashlib.sha256(LIST.read_bytes()).hexdigest()
    assert run.counts["measures"] == {"added": 5}
    assert run.counts["vendors"] == {"added": 5}
    assert run.total(Outcome.ADDED) == summary.get("measures", Outcome.ADDED) + summary.get(
        "vendors", Outcome.ADDED
    ) + sum(
        count
        for (table, outcome), count in summary.counts.items()
        if outcome is Outcome.ADDED and table not in {"measures", "vendors"}
    )
    assert run.warnings == sum(summary.warnings.values()) == 8
    assert run.started_at <= run.finished_at
    source = connection.execute(
        select(tables.import_runs.c.source_id, tables.sources.c.sha256).join(tables.sources)
    ).one()
    assert source.sha256 == run.sha256


def test_importing_again_is_a_second_run_that_changed_nothing(
    store: Store, connection: Connection
) -> None:
    import_measures(store, LIST)
    import_measures(store, LIST)
    newest, oldest = list_runs(connection)
    assert newest.id > oldest.id
    assert newest.total(Outcome.ADDED) == 0
    assert newest.counts["measures"] == {"unchanged": 5}


def test_a_preset_is_recorded(store: Store, connection: Connection) -> None:
    import_measures(
        store, FIXTURES / "measures" / "worldbank.csv", MeasureImportOptions(preset="worldbank")
    )
    assert list_runs(connection)[0].preset == "worldbank"


def test_an_ocds_import_records_one_run_per_command(store: Store, connection: Connection) -> None:
    path = FIXTURES / "ocds" / "releases.jsonl"
    summary = import_ocds(store, [path])
    (run,) = list_runs(connection)
    assert (run.kind, run.path) == ("ocds", str(path))
    assert run.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert run.counts["contracts"]["added"] == summary.get("contracts", Outcome.ADDED) > 0


def test_a_refused_import_records_no_run(store: Store, connection: Connection) -> None:
    with pytest.raises(InvalidInputError):
        import_ocds(store, [FIXTURES / "ocds" / "malformed.json"])
    count = connection.execute(select(func.count()).select_from(tables.import_runs)).scalar()
    assert count == 0
