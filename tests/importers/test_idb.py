from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from procwatch.errors import InvalidInputError
from tests.importers.presets_support import read_preset

HEADER = [
    "Title",
    "Entity",
    "Nationality",
    "Country",
    "From",
    "To",
    "Grounds",
    "Source",
    "IDB Sanction Type",
    "IDB Sanction Source",
    "Other Name",
]
ROWS: list[list[Any]] = [
    HEADER,
    [
        "Constructora Andina S.A.",
        "Firm",
        "Peru",
        "Peru",
        datetime(2021, 5, 4),
        datetime(2026, 5, 3),
        "Fraudulent practice",
        "IDB",
        "Debarment",
        "Sanctions Committee",
        "Andina Construcciones",
    ],
    [
        "Juan Pérez",
        "Individual",
        "Colombia",
        "Colombia",
        datetime(2022, 1, 10),
        "Ongoing",
        "Corrupt practice",
        "World Bank",
        "Cross Debarment",
        "Cross debarment",
        None,
    ],
    [
        "Servicios Delta Ltda.",
        "Firm",
        None,
        "Bolivia",
        datetime(2020, 2, 1),
        datetime(2023, 1, 31),
        "Collusive practice",
        "IDB",
        "Conditional Non-Debarment",
        "Sanctions Officer",
        None,
    ],
    [None],
    ["Applied filters:\nFrom Date is on or after March 23, 2007"],
]


def export(path: Path, rows: list[list[Any]]) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def test_the_export_with_its_notes_rows(tmp_path: Path) -> None:
    entries, warnings = read_preset("idb", export(tmp_path / "data.xlsx", ROWS))
    assert warnings == Counter({"rows without an Entity (the export's notes); skipped": 1})
    assert [
        (e.locator, e.text("name"), e.text("vendor_kind"), e.text("vendor_country"))
        for e in entries
    ] == [
        ("row 2", "Constructora Andina S.A.", "organisation", "Peru"),
        ("row 3", "Juan Pérez", "person", "Colombia"),
        ("row 4", "Servicios Delta Ltda.", "organisation", "Bolivia"),
    ]
    assert [e.values["origin"] for e in entries] == [None, "World Bank", None]
    assert [e.text("kind") for e in entries] == [
        "Debarment",
        "Cross Debarment",
        "Conditional Non-Debarment",
    ]
    assert [e.text("aliases") for e in entries] == ["Andina Construcciones", "", ""]
    assert [e.text("end") for e in entries] == [
        "2026-05-03 00:00:00",
        "Ongoing",
        "2023-01-31 00:00:00",
    ]
    assert {(e.text("country"), e.text("authority")) for e in entries} == {
        ("IDB", "Inter-American Development Bank Group")
    }


def test_a_file_of_another_shape_is_refused(tmp_path: Path) -> None:
    path = export(tmp_path / "other.xlsx", [["Title", "From", "To"], ["Acme", "2020", "2021"]])
    with pytest.raises(InvalidInputError) as refused:
        read_preset("idb", path)
    assert str(refused.value) == (
        "other.xlsx: expected the IDB's sanctioned firms and individuals export (a header with "
        "Title, Entity, Nationality, Country, From, To, Grounds, Source, IDB Sanction Type, "
        "IDB Sanction Source, Other Name); found Title, From, To"
    )
