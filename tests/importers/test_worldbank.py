from collections import Counter
from pathlib import Path

import pytest

from procwatch.errors import InvalidInputError
from tests.importers.presets_support import FIXTURES, by_name, read_preset, worldbank_xlsx

NOTE = "Additional Firm Info without an a.k.a. or formerly; not read as a name"


def test_csv_title_rows_two_row_header_aliases_and_permanent_ends() -> None:
    entries, warnings = read_preset("worldbank", FIXTURES / "worldbank.csv")
    firms = by_name(entries)
    assert list(firms) == [
        "ORION SCANNING SYSTEMS LTD.",
        "MR. RUFAT MAJIDOV",
        "FUTURE NETWINGS SOLUTIONS PVT. LTD.",
        "ZENITH SUPPLIES",
    ]
    orion = firms["ORION SCANNING SYSTEMS LTD."]
    # Header on row 4 (below a title, a note and a blank row), From/To on row 5; the
    # address's newline keeps Orion one row, so the next firm is row 7, not row 8.
    assert [entry.locator for entry in entries] == ["row 6", "row 7", "row 8", "row 9"]
    assert orion.values["aliases"] == ["Orion Scan", "Orion Imaging Co."]
    assert (orion.text("start"), orion.text("end")) == ("14-MAR-2019", "14-MAR-2025")
    assert orion.text("vendor_country") == "United Kingdom"
    assert orion.text("reason") == "Fraudulent Practice"
    assert (orion.text("country"), orion.text("authority")) == ("WBG", "World Bank Group")
    assert orion.text("kind") == "ban"
    # 31-DEC-2999 is the bank's "permanent"; Ongoing and Permanent are open ends too.
    assert firms["MR. RUFAT MAJIDOV"].values["end"] is None
    assert firms["FUTURE NETWINGS SOLUTIONS PVT. LTD."].text("end") == "Ongoing"
    assert [firms[name].text("vendor_kind") for name in firms] == [
        "organisation",
        "person",
        "organisation",
        "unknown",
    ]
    assert warnings == Counter({NOTE: 1})


def test_xlsx_with_a_wrong_declared_size_reads_every_column(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = worldbank_xlsx(tmp_path / "Debarred Firms.xlsx")
    # As with the bank's workbook, read-only mode believes the sheet is one column wide.
    trusting = load_workbook(path, read_only=True)
    assert [len(row) for row in trusting.worksheets[0].iter_rows(min_row=6, max_row=6)] == [1]
    trusting.close()
    entries, warnings = read_preset("worldbank", path)
    firms = by_name(entries)
    assert list(firms) == [
        "ORION SCANNING SYSTEMS LTD.",
        "MR. RUFAT MAJIDOV",
        "FUTURE NETWINGS SOLUTIONS PVT. LTD.",
    ]
    orion = firms["ORION SCANNING SYSTEMS LTD."]
    assert [entry.locator for entry in entries] == ["row 6", "row 7", "row 8"]
    assert str(orion.values["start"])[:10] == "2019-03-14"
    assert str(orion.values["end"])[:10] == "2025-03-14"
    assert orion.text("vendor_country") == "United Kingdom"
    assert firms["MR. RUFAT MAJIDOV"].values["end"] is None
    assert warnings == Counter({NOTE: 1})


def test_a_file_of_another_shape_is_refused_saying_what_was_expected(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError) as refused:
        read_preset("worldbank", FIXTURES / "ebrd-ineligible.csv")
    assert str(refused.value) == (
        "ebrd-ineligible.csv: expected the World Bank's debarred firms list (a header row "
        "with Firm Name, Address, Country, From, To and Grounds); found the header Firm Name, "
        "Address, Nationality, Ineligible From, Ineligible Until, Prohibited Practice, "
        "Originating Institution, Notice Effective At EBRD"
    )
    with pytest.raises(InvalidInputError) as refused:
        read_preset("worldbank", FIXTURES / "procwatch-layout.csv")
    assert str(refused.value).startswith(
        "procwatch-layout.csv: expected the World Bank's debarred firms list (a header row "
        "with Firm Name, Address, Country, From, To and Grounds within the first 20 rows); "
        "found key, vendor_name, vendor_aliases,"
    )
    headed = tmp_path / "half.csv"
    headed.write_text("Firm Name,Country\nACME,Kenya\n", encoding="utf-8")
    with pytest.raises(InvalidInputError) as refused:
        read_preset("worldbank", headed)
    assert str(refused.value) == (
        "half.csv: expected the World Bank's debarred firms list (a header row with Firm "
        "Name, Address, Country, From, To and Grounds); found the header Firm Name, Country"
    )
