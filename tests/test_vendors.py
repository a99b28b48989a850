import json
from pathlib import Path

import pytest
from sqlalchemy import select, text

from procwatch import tables
from procwatch.errors import InvalidInputError, NotFoundError
from procwatch.importers.columns import parse_mapping
from procwatch.importers.measures import MeasureImportOptions, import_measures
from procwatch.store import Store
from procwatch.vendors import MOVED, likely_duplicates, list_merges, merge_vendors, undo_merge
from tests.conftest import id_of

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "measures"
TABLES = ("vendors", "vendor_aliases", "vendor_identifiers", "measures", "contracts", "citations")


def import_debarred(store: Store) -> None:
    options = MeasureImportOptions(
        mapping=parse_mapping(
            [
                "name=Firm Name",
                "aliases=Also Known As",
                "vendor_country=Country",
                "kind=Sanction Type",
            ]
        ),
        skip_rows=2,
        country="US",
    )
    import_measures(store, FIXTURES / "debarred-firms.csv", options)


def vendor_id(store: Store, name: str) -> int:
    return store.scalars(select(tables.vendors.c.id).where(tables.vendors.c.name == name)).one()


def snapshot(store: Store) -> dict[str, list[tuple[object, ...]]]:
    return {
        table: [tuple(row) for row in store.execute(text(f"SELECT * FROM {table} ORDER BY id"))]
        for table in TABLES
    }


def _aliases(store: Store, vendor: int) -> list[str]:
    alias = tables.vendor_aliases.c
    query = select(alias.alias).where(alias.vendor_id == vendor).order_by(alias.alias)
    return list(store.scalars(query))


def test_a_merge_moves_every_table_that_refers_to_a_vendor() -> None:
    referring = {
        table.name
        for table in tables.metadata.sorted_tables
        for key in table.foreign_keys
        if key.column.table is tables.vendors
    }
    # Aliases move one by one (undo_merge's _MOVABLE); merges record the kept vendor.
    assert referring == {t.name for t in MOVED.values()} | {"vendor_aliases", "vendor_merges"}


def test_near_duplicates_are_listed_with_a_score(store: Store) -> None:
    import_debarred(store)
    pairs = likely_duplicates(store.connection)
    assert [(p.score, p.first, p.second, p.matched, p.why) for p in pairs] == [
        (
            96.2,
            "Hikvision Digital Technology Co. Ltd.",
            "Hikvison Digital Technology",
            "Hikvision Digital Technology Co. Ltd. ~ Hikvison Digital Technology",
            "alike letter by letter, spaces aside 96.2",
        )
    ]
    assert (pairs[0].first_country, pairs[0].second_country) == ("CN", "CN")
    # The seed's Nuctech and Nuotech are already one vendor: never a pair with itself.
    assert all(p.first_id != p.second_id for p in likely_duplicates(store.connection, min_score=50))


def test_lower_score_lists_more_pairs_and_limit_cuts(store: Store) -> None:
    import_debarred(store)
    assert likely_duplicates(store.connection, min_score=97) == []
    # Only pairs sharing a rare word (or one a letter short) are scored at all: the
    # seed's Nuctech and the imported Hikvision share none, however low the score.
    pairs = likely_duplicates(store.connection, min_score=20)
    assert [(p.first, p.second) for p in pairs] == [
        ("Hikvision Digital Technology Co. Ltd.", "Hikvison Digital Technology")
    ]
    assert len(likely_duplicates(store.connection, min_score=20, limit=1)) == 1


def test_merge_moves_everything_and_undo_restores_it(store: Store) -> None:
    import_debarred(store)
    keep = vendor_id(store, "Hikvision Digital Technology Co. Ltd.")
    other = vendor_id(store, "Hikvison Digital Technology")
    before = snapshot(store)
    record = merge_vendors(store, str(keep), "Hikvison Digital Technology")
    assert record.moved == {
        "contracts": 0,
        "measures": 1,
        "identifiers": 0,
        "citations": 1,
        "aliases": 1,
    }
    assert store.find(tables.vendors, id=other) is None
    assert _aliases(store, keep) == [
        "HIKVISION USA",
        "Hangzhou Hikvision",
        "Hikvison Digital Technology",
    ]
    measures = store.execute(
        text("SELECT key FROM measures WHERE vendor_id = :id ORDER BY key"), {"id": keep}
    )
    assert [row.key for row in measures] == [
        "debarred-firms:hikvision-digital-technology-#limited:-",
        "debarred-firms:hikvison-digital-technology:-",
    ]
    merge = store.find(tables.vendor_merges, id=record.id)
    assert merge is not None
    assert (merge.merged_name, merge.merged_key) == (
        "Hikvison Digital Technology",
        "debarred-firms:hikvison-digital-technology",
    )
    assert json.loads(merge.detail)["vendor"]["id"] == other
    undone = undo_merge(store, record.id)
    assert undone.undone_at is not None
    after = snapshot(store)
    assert after == before


def test_merge_moves_identifiers_and_keeps_the_home_country(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text(
        "key,vendor_name,vendor_aliases,vendor_identifiers,vendor_country,country,kind\n"
        "k-1,Rigel Scan,,,,FR,ban\n"
        "k-2,Rigel Scans,Rigel;Nuctech,MD-IDNO:100,Moldova,FR,ban\n",
        encoding="utf-8",
    )
    import_measures(store, path)
    before = snapshot(store)
    record = merge_vendors(store, "Rigel Scan", "Rigel Scans")
    assert record.moved["identifiers"] == 1
    kept = store.find(tables.vendors, id=record.kept_id)
    assert kept is not None
    assert kept.country_id == id_of(store, tables.jurisdictions, "MD")
    registered = tables.vendor_identifiers.c
    identifiers = store.execute(
        select(registered.scheme, registered.identifier).where(registered.vendor_id == kept.id)
    )
    assert [tuple(row) for row in identifiers] == [("MD-IDNO", "100")]
    undo_merge(store, record.id)
    assert snapshot(store) == before


def test_merge_refusals(store: Store) -> None:
    import_debarred(store)
    with pytest.raises(InvalidInputError, match=r"^'Nuctech' and 'Nuotech' are the same vendor"):
        merge_vendors(store, "Nuctech", "Nuotech")
    with pytest.raises(NotFoundError, match=r"^no vendor with id 999$"):
        merge_vendors(store, "999", "Nuctech")
    with pytest.raises(NotFoundError, match=r"^no merge with id 42$"):
        undo_merge(store, 42)
    first = merge_vendors(store, "Hikvision Digital Technology", "Hikvison Digital Technology")
    with pytest.raises(
        InvalidInputError,
        match=r"^'Hikvision Digital Technology Co. Ltd.' keeps what merge 1 moved into it: "
        r"merge it as KEEP, or undo merge 1 first$",
    ):
        merge_vendors(store, "Nuctech", "Hikvision Digital Technology")
    undo_merge(store, first.id)
    with pytest.raises(InvalidInputError, match=r"^merge 1 was already undone$"):
        undo_merge(store, first.id)
    assert [(m.id, m.undone_at is not None) for m in list_merges(store.connection)] == [(1, True)]


def test_a_name_shared_by_two_vendors_needs_an_id(store: Store) -> None:
    # Two registered companies of one name (imports keep them apart by identifier).
    store.insert_many(
        tables.vendors,
        [
            {"key": "altair-1", "name": "Altair Ltd", "name_key": "altair"},
            {"key": "altair-2", "name": "Altair Limited", "name_key": "altair"},
        ],
    )
    ids = sorted(
        store.scalars(select(tables.vendors.c.id).where(tables.vendors.c.name_key == "altair"))
    )
    with pytest.raises(InvalidInputError) as raised:
        merge_vendors(store, "Altair", "Nuctech")
    assert str(raised.value) == f"'Altair' names 2 vendors (ids {ids[0]}, {ids[1]}); give an id"
    pairs = likely_duplicates(store.connection)
    assert [(p.score, p.first_id, p.second_id) for p in pairs] == [(100.0, ids[0], ids[1])]


def test_undo_refused_when_rows_it_moved_belong_elsewhere(store: Store) -> None:
    import_debarred(store)
    record = merge_vendors(store, "Hikvision Digital Technology", "Hikvison Digital Technology")
    nuctech = vendor_id(store, "Nuctech Company Limited")
    store.execute(
        text("UPDATE measures SET vendor_id = :nuctech WHERE key = :key"),
        {"nuctech": nuctech, "key": "debarred-firms:hikvison-digital-technology:-"},
    )
    with pytest.raises(
        InvalidInputError,
        match=rf"^merge {record.id} cannot be undone: measures it moved now belong to another"
        r" vendor$",
    ):
        undo_merge(store, record.id)


def test_undo_refused_when_the_merged_key_is_taken_again(store: Store) -> None:
    import_debarred(store)
    record = merge_vendors(store, "Hikvision Digital Technology", "Hikvison Digital Technology")
    row = {"key": record.merged_key, "name": "Someone else", "name_key": "someone else"}
    store.insert_many(tables.vendors, [row])
    with pytest.raises(InvalidInputError) as raised:
        undo_merge(store, record.id)
    assert str(raised.value) == (
        f"merge {record.id} cannot be undone: vendor id {record.merged_id} or key"
        " 'debarred-firms:hikvison-digital-technology' is in use again"
    )


def test_importing_again_after_a_merge_keeps_it(store: Store) -> None:
    import_debarred(store)
    merge_vendors(store, "Hikvision Digital Technology", "Hikvison Digital Technology")
    vendors = snapshot(store)["vendors"]
    import_debarred(store)
    assert snapshot(store)["vendors"] == vendors


def test_vendors_sharing_a_key_stay_apart_and_are_listed_with_why(store: Store) -> None:
    from procwatch.importers import VendorIndex

    index = VendorIndex(store, [].append)
    stock, _ = index.upsert(key="db-ag", name="Deutsche Bank AG")
    limited, _ = index.upsert(key="db-gmbh", name="Deutsche Bank GmbH")
    index.upsert(key="db-ch", name="Deutsche Bank (Schweiz) AG")
    pairs = likely_duplicates(store.connection, min_score=70)
    assert [(p.score, p.first, p.second, p.why) for p in pairs] == [
        (
            97.0,
            "Deutsche Bank AG",
            "Deutsche Bank (Schweiz) AG",
            "same name key; through the second without the bracketed part -3",
        ),
        (
            80.0,
            "Deutsche Bank AG",
            "Deutsche Bank GmbH",
            "same words; different legal forms (AG vs GmbH) -20",
        ),
        (
            77.0,
            "Deutsche Bank GmbH",
            "Deutsche Bank (Schweiz) AG",
            "same words; different legal forms (GmbH vs AG) -20;"
            " through the second without the bracketed part -3",
        ),
    ]
    assert stock != limited
