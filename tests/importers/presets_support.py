"""Read a preset's fixture without a database: its entries and its counted warnings."""

from __future__ import annotations

import re
import shutil
import zipfile
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

from procwatch.importers.columns import RawEntry
from procwatch.importers.measures import presets

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "measures"


def read_preset(name: str, path: Path) -> tuple[list[RawEntry], Counter[str]]:
    """Return a file's entries as the preset reads them, and the warnings it counted."""
    preset = presets()[name]
    warnings: Counter[str] = Counter()
    entries = list(preset.read(path, preset.layout, lambda message: warnings.update([message])))
    return entries, warnings


def by_name(entries: list[RawEntry]) -> dict[str, RawEntry]:
    """Return entries keyed by their name."""
    return {entry.text("name"): entry for entry in entries}


def worldbank_xlsx(path: Path, declared: str = "A1:A1288") -> Path:
    """Write the World Bank fixture as an XLSX whose sheet declares a wrong size, as the real one.

    openpyxl writes the true dimension; the bank's workbook says A1:A1288 for seven columns,
    so the tag is rewritten in the zip, which is what read-only mode trusts.
    """
    from openpyxl import Workbook

    rows: list[list[Any]] = [
        ["World Bank Listing of Ineligible Firms and Individuals"],
        ["Firms and individuals debarred under the World Bank's sanctions procedures"],
        [],
        [
            "Firm Name",
            "Additional Firm Info",
            "Address",
            "Country",
            "Ineligibility Period",
            None,
            "Grounds",
        ],
        [None, None, None, None, "From", "To", None],
        [
            "ORION SCANNING SYSTEMS LTD.*",
            "AKA: Orion Scan; Formerly known as Orion Imaging Co.",
            "12 High Street\nLeeds LS1 4AP",
            "United Kingdom",
            datetime(2019, 3, 14),
            datetime(2025, 3, 14),
            "Fraudulent Practice",
        ],
        [
            "MR. RUFAT MAJIDOV",
            None,
            "Baku",
            "Azerbaijan",
            datetime(2020, 6, 1),
            datetime(2999, 12, 31),
            "Corrupt Practice",
        ],
        [
            "FUTURE NETWINGS SOLUTIONS PVT. LTD.",
            "Registration No. 1234/2001",
            "Noida",
            "India",
            datetime(2024, 12, 10),
            "Ongoing",
            "Fraudulent Practice; Collusive Practice",
        ],
    ]
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Debarred Firms"
    for row in rows:
        sheet.append(row)
    plain = path.with_suffix(".plain.xlsx")
    workbook.save(plain)
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data, count = re.subn(
                    rb'<dimension ref="[^"]*"', f'<dimension ref="{declared}"'.encode(), data
                )
                assert count == 1
            out.writestr(item, data)
    plain.unlink()
    return path


def copy_fixture(source: Path, target: Path) -> Path:
    """Copy a fixture to a new place (a name or folder the test needs) and return it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return target
