"""A list import records what it changes: contracts' measure flags and vendors' levels."""

from datetime import date
from pathlib import Path

from procwatch.importers.measures import import_measures
from procwatch.importers.runs import list_runs, now
from procwatch.screening.changes import ChangeSubject, list_changes
from procwatch.screening.watch import unwatch, watch, watched_vendor_keys, watchlist
from procwatch.store import Store

HEADER = (
    "key,vendor_name,vendor_aliases,vendor_identifiers,vendor_country,country,authority,"
    "kind,scope,legal_basis,reason,date,date_end,places,quote\n"
)
# The seed's Nuctech contracts in Georgia run from 2015 to 2023 (data/seed/contracts.csv).
GEORGIA = "t-ge,Nuctech Company Limited,,,CN,GE,,investigation,,,,2019,,,\n"
ENDED = "t-ge,Nuctech Company Limited,,,CN,GE,,investigation,,,,2019,2019-12,,\n"
NEW_VENDOR = "t-new,Tbilisi Office Supplies LLC,,,GE,GE,,ban,,,,2024,,,\n"


def write(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "list.csv"
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return path


def test_a_new_investigation_flags_the_contracts_signed_during_it(
    store: Store, tmp_path: Path
) -> None:
    import_measures(store, write(tmp_path, GEORGIA))
    found = list_changes(store.connection)
    assert {(c.subject, c.flag, c.before, c.after) for c in found} == {
        ("contract", "PW-SIGNED-WHILE-INVESTIGATED", "not flagged", "flagged"),
        ("contract", "PW-SIGNED-WHILE-INVESTIGATED", "not flagged", "possibly flagged"),
    }
    assert {c.contract for c in found} == {
        "X-ray equipment",
        "Technical services and spare parts for existing Nuctech inspection equipment",
    }
    (run,) = list_runs(store.connection)
    assert {c.run_id for c in found} == {run.id}


def test_importing_the_same_list_again_changes_nothing(store: Store, tmp_path: Path) -> None:
    path = write(tmp_path, GEORGIA)
    import_measures(store, path)
    import_measures(store, path)
    assert list_changes(store.connection) == []


def test_ending_a_measure_removes_the_flags_it_set(store: Store, tmp_path: Path) -> None:
    import_measures(store, write(tmp_path, GEORGIA))
    import_measures(store, write(tmp_path, ENDED))
    found = list_changes(store.connection)
    # The 2019-2020 contract was signed in 2019: still possibly while investigated.
    assert [(c.contract, c.before, c.after) for c in found] == [
        ("X-ray equipment", "flagged", "not flagged"),
    ]


def test_a_new_vendor_raises_its_level(store: Store, tmp_path: Path) -> None:
    import_measures(store, write(tmp_path, NEW_VENDOR))
    (change,) = list_changes(store.connection)
    assert (change.subject, change.vendor, change.before, change.after) == (
        ChangeSubject.VENDOR,
        "Tbilisi Office Supplies LLC",
        "none",
        "high",
    )


def test_watched_vendors_come_first_and_can_be_the_only_ones(store: Store, tmp_path: Path) -> None:
    watch(store, ["Tbilisi Office Supplies"])
    import_measures(store, write(tmp_path, GEORGIA, NEW_VENDOR))
    watched = watched_vendor_keys(store.connection)
    found = list_changes(store.connection, watched=lambda: watched)
    assert found[0].vendor == "Tbilisi Office Supplies LLC" and found[0].watched
    assert [c.watched for c in found] == [True, False, False]
    only = list_changes(store.connection, watched=lambda: watched, watched_only=True)
    assert [c.vendor for c in only] == ["Tbilisi Office Supplies LLC"]


def test_since_a_date_takes_every_import_from_it(store: Store, tmp_path: Path) -> None:
    import_measures(store, write(tmp_path, GEORGIA))
    import_measures(store, write(tmp_path, GEORGIA, NEW_VENDOR))
    assert len(list_changes(store.connection)) == 1
    assert len(list_changes(store.connection, since=date(2000, 1, 1))) == 3
    assert list_changes(store.connection, since=date(2999, 1, 1)) == []


def test_a_watched_name_finds_a_vendor_once_a_list_names_it(store: Store, tmp_path: Path) -> None:
    assert watch(store, ["Tbilisi Office Supplies", "Nuctech"]) == 2
    assert watch(store, ["NUCTECH"]) == 0  # the same name key: already watched
    before = {entry.name: entry for entry in watchlist(store.connection)}
    assert before["Tbilisi Office Supplies"].vendors == []
    assert (before["Nuctech"].vendors, before["Nuctech"].how) == (
        ["Nuctech Company Limited"],
        "vendor",
    )
    import_measures(store, write(tmp_path, NEW_VENDOR))
    after = {entry.name: entry for entry in watchlist(store.connection)}
    assert after["Tbilisi Office Supplies"].vendors == ["Tbilisi Office Supplies LLC"]
    assert unwatch(store, ["Nuctech"]) == 1
    assert [entry.name for entry in watchlist(store.connection)] == ["Tbilisi Office Supplies"]


def test_levels_from_measures_agree_with_check_for_vendors_without_contracts(
    store: Store, shared_data: Path
) -> None:
    from sqlalchemy import select

    from procwatch import tables
    from procwatch.importers.measures import MeasureImportOptions
    from procwatch.screening.report import check_vendor, levels_from_measures

    sample = shared_data / "sanctions" / "us-consolidated-screening-list-sample.csv"
    import_measures(store, sample, MeasureImportOptions(preset="us-csl"))
    vendor, contract = tables.vendors.c, tables.contracts.c
    rows = store.connection.execute(
        select(vendor.id, vendor.name).where(vendor.id.not_in(select(contract.vendor_id)))
    ).all()
    today = date(2026, 12, 4)
    bulk = levels_from_measures(store.connection, [row.id for row in rows], today)
    one_by_one = {
        row.id: check_vendor(
            store.connection, row.name, vendor_id=row.id, today=today, covered=False
        ).level
        for row in rows
    }
    assert len(rows) == 110
    assert bulk == one_by_one
    assert {str(level) for level in bulk.values()} == {"high", "caution"}


def test_end_missing_ends_what_a_new_version_of_the_list_no_longer_holds(
    store: Store, tmp_path: Path
) -> None:
    from sqlalchemy import select

    from procwatch import tables
    from procwatch.domain import Outcome
    from procwatch.importers.measures import MeasureImportOptions

    first = write(tmp_path, GEORGIA, NEW_VENDOR)
    import_measures(store, first)
    again = tmp_path / "v2" / "list.csv"
    again.parent.mkdir()
    again.write_text(HEADER + GEORGIA, encoding="utf-8")
    # Without the option a missing row says nothing: the file may be an extract.
    assert import_measures(store, again).get("measures", Outcome.REMOVED) == 0
    summary = import_measures(store, again, MeasureImportOptions(end_missing=True))
    assert summary.get("measures", Outcome.REMOVED) == 1
    ended = store.connection.execute(
        select(tables.measures.c.date_end).where(tables.measures.c.key == "t-new")
    ).scalar_one()
    assert ended == now().date().isoformat()  # the import's day, in UTC
    (change,) = list_changes(store.connection)
    assert (change.vendor, change.before, change.after) == (
        "Tbilisi Office Supplies LLC",
        "high",
        "caution",
    )
    (run, *_) = list_runs(store.connection)
    assert run.counts["measures"] == {"removed": 1, "unchanged": 1}
    # Listed again later: running again, as the new file says.
    import_measures(store, first, MeasureImportOptions(end_missing=True))
    assert (
        store.connection.execute(
            select(tables.measures.c.date_end).where(tables.measures.c.key == "t-new")
        ).scalar_one()
        is None
    )


def test_end_missing_reads_another_file_name_as_another_list(store: Store, tmp_path: Path) -> None:
    from procwatch.domain import Outcome
    from procwatch.importers.measures import MeasureImportOptions

    import_measures(store, write(tmp_path, GEORGIA, NEW_VENDOR))
    other = tmp_path / "other.csv"
    other.write_text(HEADER + GEORGIA, encoding="utf-8")
    summary = import_measures(store, other, MeasureImportOptions(end_missing=True))
    assert summary.get("measures", Outcome.REMOVED) == 0


def test_the_watchlist_is_read_only_when_there_are_changes(store: Store, tmp_path: Path) -> None:
    def unwanted() -> set[str]:
        raise AssertionError("the watchlist was matched for no change")

    path = write(tmp_path, GEORGIA)
    import_measures(store, path)
    import_measures(store, path)
    assert list_changes(store.connection, watched=unwanted) == []
