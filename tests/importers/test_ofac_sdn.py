from collections import Counter
from pathlib import Path

import pytest

from procwatch.errors import InvalidInputError
from tests.importers.presets_support import FIXTURES, by_name, copy_fixture, read_preset

SDN = FIXTURES / "ofac" / "sdn.csv"
SKIPPED = Counter(
    {"vessel entries are not vendors; skipped": 1, "aircraft entries are not vendors; skipped": 1}
)


def test_sdn_csv_with_its_alt_and_add_files() -> None:
    entries, warnings = read_preset("ofac-sdn", SDN)
    assert warnings == SKIPPED
    listed = by_name(entries)
    assert list(listed) == [
        "AEROCARIBBEAN AIRLINES",
        "BANCO NACIONAL DE CUBA",
        "Abu ABBAS",
        "ROSOBORONEKSPORT OAO",
    ]
    assert [entry.locator for entry in entries] == [
        "SDN entity 36, row 1",
        "SDN entity 306, row 2",
        "SDN entity 2674, row 3",
        "SDN entity 17016, row 6",
    ]
    assert {name: entry.values["aliases"] for name, entry in listed.items()} == {
        "AEROCARIBBEAN AIRLINES": ["AERO-CARIBBEAN"],
        "BANCO NACIONAL DE CUBA": ["BNC"],
        "Abu ABBAS": ["ABBAS, Abu", "Muhammad ABU ABBAS"],
        "ROSOBORONEKSPORT OAO": ["ROSOBORONEKSPORT FSUE", "ROSOBORONEXPORT"],
    }
    assert {name: entry.text("program") for name, entry in listed.items()} == {
        "AEROCARIBBEAN AIRLINES": "CUBA",
        "BANCO NACIONAL DE CUBA": "CUBA",
        "Abu ABBAS": "SDGT",
        "ROSOBORONEKSPORT OAO": "UKRAINE-EO13662; RUSSIA-EO14024; SYRIA",
    }
    # Havana and London: two countries, so none; one address country is the vendor's.
    assert {name: entry.values["vendor_country"] for name, entry in listed.items()} == {
        "AEROCARIBBEAN AIRLINES": "CU",
        "BANCO NACIONAL DE CUBA": None,
        "Abu ABBAS": None,
        "ROSOBORONEKSPORT OAO": "RU",
    }
    assert [entry.text("vendor_kind") for entry in entries] == [
        "organisation",
        "organisation",
        "person",
        "organisation",
    ]
    for entry in entries:
        assert "-0-" not in repr(entry.values)
        assert entry.values["quote"] is None
        assert (entry.text("country"), entry.text("id_scheme")) == ("US", "US-OFAC")


def test_sdn_csv_alone_takes_aliases_from_its_remarks(tmp_path: Path) -> None:
    alone = copy_fixture(SDN, tmp_path / "sdn.csv")
    entries, warnings = read_preset("ofac-sdn", alone)
    assert warnings == SKIPPED
    assert {entry.text("name"): entry.values["aliases"] for entry in entries} == {
        "AEROCARIBBEAN AIRLINES": [],
        "BANCO NACIONAL DE CUBA": ["BNC"],
        "Abu ABBAS": ["ABBAS, Abu"],
        "ROSOBORONEKSPORT OAO": ["ROSOBORONEXPORT"],
    }
    assert {entry.values["vendor_country"] for entry in entries} == {None}


def test_a_file_of_another_shape_is_refused_saying_what_was_expected(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError) as refused:
        read_preset("ofac-sdn", FIXTURES / "procwatch-layout.csv")
    assert str(refused.value) == (
        "procwatch-layout.csv row 1: expected OFAC's sdn.csv (12 columns, no header: ent_num, "
        "SDN_Name, SDN_Type, Program, ..., Remarks); found 15 columns: key, vendor_name, "
        "vendor_aliases, vendor_identifiers, ..."
    )
    shifted = tmp_path / "sdn.csv"
    shifted.write_text('"AEROCARIBBEAN",36' + ",-0-" * 10 + "\r\n", encoding="ascii")
    with pytest.raises(InvalidInputError) as refused:
        read_preset("ofac-sdn", shifted)
    assert str(refused.value) == (
        "sdn.csv row 1: expected OFAC's sdn.csv, whose first column is the entry number; "
        "found 'AEROCARIBBEAN'"
    )
    with pytest.raises(
        InvalidInputError, match="is XML, not CSV; for the UN list use `preset` un-sc"
    ):
        read_preset("ofac-sdn", FIXTURES / "un-sc-consolidated.xml")
