from collections import Counter
from pathlib import Path

import pytest

from procwatch.errors import InvalidInputError
from tests.importers.presets_support import FIXTURES, read_preset


def test_bom_spaced_header_newlines_in_cells_and_cross_debarments() -> None:
    entries, warnings = read_preset("ebrd", FIXTURES / "ebrd-ineligible.csv")
    assert warnings == Counter()
    # A blank line (with the byte-order mark) is row 1, the header row 2; the addresses'
    # newlines do not move the rows after them.
    assert [entry.locator for entry in entries] == ["row 3", "row 4", "row 5", "row 6", "row 7"]
    idb, wbg, netwings, petrov, alpha = entries
    assert (
        idb.text("name")
        == wbg.text("name")
        == ("Logitrans Logística Engenharia e Transportes Ltda.")
    )
    assert [
        (e.text("origin"), e.text("start"), e.text("end"), e.text("listed")) for e in entries
    ] == [
        ("Inter-American Development Bank", "25-Mar-2022", "24-Mar-2028", "10-May-2022"),
        ("World Bank", "29-Mar-2022", "28-May-2027", "16-Jun-2022"),
        ("", "10-Dec-2024", "Ongoing", "10-Dec-2024"),
        ("", "01-Feb-2023", "Indefinite", "01-Feb-2023"),
        ("Asian Development Bank", "05-Jan-2021", "04-Jan-2024", "01-Mar-2021"),
    ]
    # Two decisions against one firm: one vendor key, two measure keys.
    assert (
        idb.text("id")
        == wbg.text("id")
        == "logitrans-logistica-engenharia-transportes-limited-brazil"
    )
    assert idb.text("key") != wbg.text("key")
    assert {entry.text("country") for entry in entries} == {"EBRD"}
    assert {entry.text("kind") for entry in entries} == {"ban"}
    assert netwings.text("vendor_country") == "India"
    assert idb.text("reason") == "Fraudulent Practice"
    assert [entry.text("vendor_kind") for entry in entries] == [
        "organisation",
        "organisation",
        "organisation",
        "person",
        "organisation",
    ]
    assert petrov.text("name") == "Mr Ivan Petrov"
    assert alpha.text("name") == "Alpha Build LLC may also be doing business as Alpha Construction"


def test_a_file_of_another_shape_is_refused_saying_what_was_expected() -> None:
    with pytest.raises(InvalidInputError) as refused:
        read_preset("ebrd", FIXTURES / "procwatch-layout.csv")
    assert str(refused.value).startswith(
        "procwatch-layout.csv: expected the EBRD's ineligible entities CSV (a header with Firm "
        "Name, Address, Nationality, Ineligible From, Ineligible Until, Prohibited Practice, "
        "Originating Institution, Notice Effective At EBRD); found key, vendor_name,"
    )


def test_xml_given_to_a_csv_preset_is_refused_as_xml() -> None:
    with pytest.raises(InvalidInputError) as refused:
        read_preset("ebrd", FIXTURES / "un-sc-consolidated.xml")
    assert str(refused.value) == (
        "un-sc-consolidated.xml is XML, not CSV; for the UN list use `preset` un-sc"
    )


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    empty = tmp_path / "ebrd.csv"
    empty.write_bytes(b"\xef\xbb\xbf\r\n\r\n")
    with pytest.raises(
        InvalidInputError, match=r"ebrd.csv: expected the EBRD's .*found an empty row"
    ):
        read_preset("ebrd", empty)
