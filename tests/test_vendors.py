import json
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from procwatch.errors import InvalidInputError, NotFoundError
from procwatch.importers.measures import MeasureImportOptions, import_measures, parse_mapping
from procwatch.models import Vendor, VendorMerge
from procwatch.vendors import likely_duplicates, list_merges, merge_vendors, undo_merge

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "measures"
TABLES = ("vendors", "vendor_aliases", "vendor_identifiers", "measures", "contracts", "citations")


def import_debarred(session: Session) -> None:
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
    import_measures(session, FIXTURES / "debarred-firms.csv", options)


def vendor_id(session: Session, name: str) -> int:
    return session.scalars(select(Vendor.id).where(Vendor.name == name)).one()


def snapshot(session: Session) -> dict[str, list[tuple[object, ...]]]:
    return {
        table: [tuple(row) for row in session.execute(text(f"SELECT * FROM {table} ORDER BY id"))]
        for table in TABLES
    }


def test_near_duplicates_are_listed_with_a_score(session: Session) -> None:
    import_debarred(session)
    pairs = likely_duplicates(session)
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
    assert all(p.first_id != p.second_id for p in likely_duplicates(session, min_score=50))


def test_lower_score_lists_more_pairs_and_limit_cuts(session: Session) -> None:
    import_debarred(session)
    assert likely_duplicates(session, min_score=97) == []
    # Only pairs sharing a rare word (or one a letter short) are scored at all: the
    # seed's Nuctech and the imported Hikvision share none, however low the score.
    pairs = likely_duplicates(session, min_score=20)
    assert [(p.first, p.second) for p in pairs] == [
        ("Hikvision Digital Technology Co. Ltd.", "Hikvison Digital Technology")
    ]
    assert len(likely_duplicates(session, min_score=20, limit=1)) == 1


def test_merge_moves_everything_and_undo_restores_it(session: Session) -> None:
    import_debarred(session)
    keep = vendor_id(session, "Hikvision Digital Technology Co. Ltd.")
    other = vendor_id(session, "Hikvison Digital Technology")
    before = snapshot(session)
    record = merge_vendors(session, str(keep), "Hikvison Digital Technology")
    assert record.moved == {
        "contracts": 0,
        "measures": 1,
        "identifiers": 0,
        "citations": 1,
        "aliases": 1,
    }
    assert session.get(Vendor, other) is None
    kept = session.get(Vendor, keep)
    assert kept is not None
    session.refresh(kept)
    assert [a.alias for a in kept.aliases] == [
        "HIKVISION USA",
        "Hangzhou Hikvision",
        "Hikvison Digital Technology",
    ]
    measures = session.execute(
        text("SELECT key FROM measures WHERE vendor_id = :id ORDER BY key"), {"id": keep}
    )
    assert [row.key for row in measures] == [
        "debarred-firms:hikvision-digital-technology-#limited:-",
        "debarred-firms:hikvison-digital-technology:-",
    ]
    merge = session.get(VendorMerge, record.id)
    assert merge is not None
    assert (merge.merged_name, merge.merged_key) == (
        "Hikvison Digital Technology",
        "debarred-firms:hikvison-digital-technology",
    )
    assert json.loads(merge.detail)["vendor"]["id"] == other
    undone = undo_merge(session, record.id)
    assert undone.undone_at is not None
    session.expire_all()
    after = snapshot(session)
    assert after == before


def test_merge_moves_identifiers_and_keeps_the_home_country(
    session: Session, tmp_path: Path
) -> None:
    path = tmp_path / "list.csv"
    path.write_text(
        "key,vendor_name,vendor_aliases,vendor_identifiers,vendor_country,country,kind\n"
        "k-1,Rigel Scan,,,,FR,ban\n"
        "k-2,Rigel Scans,Rigel;Nuctech,MD-IDNO:100,Moldova,FR,ban\n",
        encoding="utf-8",
    )
    import_measures(session, path)
    before = snapshot(session)
    record = merge_vendors(session, "Rigel Scan", "Rigel Scans")
    assert record.moved["identifiers"] == 1
    kept = session.get(Vendor, record.kept_id)
    assert kept is not None
    session.refresh(kept)
    assert kept.country is not None and kept.country.code == "MD"
    assert [(i.scheme, i.identifier) for i in kept.identifiers] == [("MD-IDNO", "100")]
    undo_merge(session, record.id)
    session.expire_all()
    assert snapshot(session) == before


def test_merge_refusals(session: Session) -> None:
    import_debarred(session)
    with pytest.raises(InvalidInputError, match=r"^'Nuctech' and 'Nuotech' are the same vendor"):
        merge_vendors(session, "Nuctech", "Nuotech")
    with pytest.raises(NotFoundError, match=r"^no vendor with id 999$"):
        merge_vendors(session, "999", "Nuctech")
    with pytest.raises(NotFoundError, match=r"^no merge with id 42$"):
        undo_merge(session, 42)
    first = merge_vendors(session, "Hikvision Digital Technology", "Hikvison Digital Technology")
    with pytest.raises(
        InvalidInputError,
        match=r"^'Hikvision Digital Technology Co. Ltd.' keeps what merge 1 moved into it: "
        r"merge it as KEEP, or undo merge 1 first$",
    ):
        merge_vendors(session, "Nuctech", "Hikvision Digital Technology")
    undo_merge(session, first.id)
    with pytest.raises(InvalidInputError, match=r"^merge 1 was already undone$"):
        undo_merge(session, first.id)
    assert [(m.id, m.undone_at is not None) for m in list_merges(session)] == [(1, True)]


def test_a_name_shared_by_two_vendors_needs_an_id(session: Session) -> None:
    # Two registered companies of one name (imports keep them apart by identifier).
    session.add_all(
        [
            Vendor(key="altair-1", name="Altair Ltd", name_key="altair"),
            Vendor(key="altair-2", name="Altair Limited", name_key="altair"),
        ]
    )
    session.flush()
    ids = sorted(session.scalars(select(Vendor.id).where(Vendor.name_key == "altair")))
    with pytest.raises(InvalidInputError) as raised:
        merge_vendors(session, "Altair", "Nuctech")
    assert str(raised.value) == f"'Altair' names 2 vendors (ids {ids[0]}, {ids[1]}); give an id"
    pairs = likely_duplicates(session)
    assert [(p.score, p.first_id, p.second_id) for p in pairs] == [(100.0, ids[0], ids[1])]


def test_undo_refused_when_rows_it_moved_belong_elsewhere(session: Session) -> None:
    import_debarred(session)
    record = merge_vendors(session, "Hikvision Digital Technology", "Hikvison Digital Technology")
    nuctech = vendor_id(session, "Nuctech Company Limited")
    session.execute(
        text("UPDATE measures SET vendor_id = :nuctech WHERE key = :key"),
        {"nuctech": nuctech, "key": "debarred-firms:hikvison-digital-technology:-"},
    )
    with pytest.raises(
        InvalidInputError,
        match=rf"^merge {record.id} cannot be undone: measures it moved now belong to another"
        r" vendor$",
    ):
        undo_merge(session, record.id)


def test_undo_refused_when_the_merged_key_is_taken_again(session: Session) -> None:
    import_debarred(session)
    record = merge_vendors(session, "Hikvision Digital Technology", "Hikvison Digital Technology")
    session.add(Vendor(key=record.merged_key, name="Someone else", name_key="someone else"))
    session.flush()
    with pytest.raises(InvalidInputError) as raised:
        undo_merge(session, record.id)
    assert str(raised.value) == (
        f"merge {record.id} cannot be undone: vendor id {record.merged_id} or key"
        " 'debarred-firms:hikvison-digital-technology' is in use again"
    )


def test_importing_again_after_a_merge_keeps_it(session: Session) -> None:
    import_debarred(session)
    merge_vendors(session, "Hikvision Digital Technology", "Hikvison Digital Technology")
    vendors = snapshot(session)["vendors"]
    import_debarred(session)
    assert snapshot(session)["vendors"] == vendors


def test_vendors_sharing_a_key_stay_apart_and_are_listed_with_why(session: Session) -> None:
    from procwatch.importers import VendorIndex

    index = VendorIndex(session, [].append)
    stock, _ = index.upsert(key="db-ag", name="Deutsche Bank AG")
    limited, _ = index.upsert(key="db-gmbh", name="Deutsche Bank GmbH")
    index.upsert(key="db-ch", name="Deutsche Bank (Schweiz) AG")
    pairs = likely_duplicates(session, min_score=70)
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
