"""Coverage: which lists, OCDS sources and documents are loaded, and which issuers lack a list."""

import hashlib
from pathlib import Path

from sqlalchemy import Connection, func, select, update

from procwatch import tables
from procwatch.importers.measures import MeasureImportOptions, import_measures
from procwatch.importers.ocds import import_ocds
from procwatch.importers.runs import list_runs
from procwatch.queries.coverage import (
    SourceKind,
    contracts_coverage,
    coverage,
    coverage_text,
    no_match_text,
)
from procwatch.store import Store

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
WORLDBANK = FIXTURES / "measures" / "worldbank.csv"
EBRD = FIXTURES / "measures" / "ebrd-ineligible.csv"
RELEASES = FIXTURES / "ocds" / "releases.jsonl"


def test_the_seed_alone_is_a_document_and_no_list(connection: Connection) -> None:
    found = coverage(connection, ["WBG", "PL"])
    assert (found.lists, found.ocds) == ([], [])
    (article,) = found.documents
    assert (article.kind, article.key) == (SourceKind.DOCUMENT, "nuctech-raids-georgia")
    assert article.rows == connection.scalar(select(func.count()).select_from(tables.citations))
    assert article.imported_at is None
    # The article's measures are facts it states, not a list searched: every issuer is missing.
    assert found.missing == ["PL", "WBG"]
    assert no_match_text(found) == "no list loaded"
    assert coverage_text(found) == (
        "Coverage: no lists loaded, 1 document, no list loaded for PL, WBG."
    )


def test_a_list_loaded_for_one_issuer_only(store: Store, connection: Connection) -> None:
    import_measures(store, WORLDBANK, MeasureImportOptions(preset="worldbank"))
    found = coverage(connection, ["EBRD", "WBG", "PL"])
    (listed,) = found.lists
    (run,) = list_runs(connection)
    assert listed.kind is SourceKind.LIST
    assert (listed.title, listed.publisher) == ("worldbank.csv", "World Bank Group")
    assert listed.sha256 == hashlib.sha256(WORLDBANK.read_bytes()).hexdigest()
    assert listed.imported_at == run.finished_at
    assert listed.rows == 4 == run.counts["measures"]["added"]
    assert listed.issuers == ["WBG"]
    # The list gives no date of its own: the import's day stands for it, and says so.
    assert (listed.published, listed.date) == (None, run.finished_at[:10])
    assert found.missing == ["EBRD", "PL"]
    assert found.missing_issuers(["WBG"]) == []
    assert no_match_text(found) == (
        f"no match in the 1 list loaded (worldbank.csv imported {run.finished_at[:10]})"
    )


def test_two_lists_and_a_list_s_own_date(store: Store, connection: Connection) -> None:
    import_measures(store, WORLDBANK, MeasureImportOptions(preset="worldbank"))
    import_measures(store, EBRD, MeasureImportOptions(preset="ebrd"))
    store.connection.execute(
        update(tables.sources)
        .where(tables.sources.c.title == "worldbank.csv")
        .values(published="2026-12-03")
    )
    found = coverage(connection, ["EBRD", "WBG"])
    assert [s.title for s in found.lists] == ["worldbank.csv", "ebrd-ineligible.csv"]
    assert "EBRD" in found.lists[1].issuers
    assert found.missing == []
    day = list_runs(connection)[0].finished_at[:10]
    assert no_match_text(found) == (
        f"no match in the 2 lists loaded (worldbank.csv 2026-12-03, "
        f"ebrd-ineligible.csv imported {day})"
    )


def test_an_ocds_source_covers_its_contracts_dates(store: Store, connection: Connection) -> None:
    import_ocds(store, [RELEASES])
    found = coverage(connection)
    (ocds,) = found.ocds
    assert ocds.kind is SourceKind.OCDS
    assert ocds.sha256 == hashlib.sha256(RELEASES.read_bytes()).hexdigest()
    cited = connection.execute(
        select(
            func.count(func.distinct(tables.contracts.c.id)),
            func.min(tables.contracts.c.date_start),
            func.max(tables.contracts.c.date_start),
        )
        .join(tables.citations, tables.citations.c.contract_id == tables.contracts.c.id)
        .where(
            tables.citations.c.source_id
            == select(tables.sources.c.id).where(tables.sources.c.key == ocds.key).scalar_subquery()
        )
    ).one()
    assert (ocds.rows, ocds.first_date, ocds.last_date) == (2, "2023-06-01", "2024-03-05")
    assert tuple(cited) == (ocds.rows, ocds.first_date, ocds.last_date)
    assert ocds.date == "2023-06-01/2024-03-05"
    assert ocds.imported_at == list_runs(connection)[0].finished_at
    # OCDS contracts are not lists of measures: they cover no issuer.
    assert found.lists == []


def test_files_of_one_ocds_import_are_each_an_ocds_source(
    store: Store, connection: Connection
) -> None:
    # Several files make one run without a source; their releases still name their files.
    import_ocds(store, [RELEASES, FIXTURES / "ocds" / "array.json"])
    found = coverage(connection)
    assert sorted(s.title for s in found.ocds) == ["array.json", "releases.jsonl"]
    assert all(s.imported_at is None for s in found.ocds)


def test_a_country_s_contracts_involve_its_unions(connection: Connection) -> None:
    assert contracts_coverage(connection, "Poland").involved == ["EU", "PL"]
    assert contracts_coverage(connection, None).missing == []
