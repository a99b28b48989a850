"""OFAC's Specially Designated Nationals list, as the legacy `sdn.csv` (`--preset ofac-sdn`).

The file has no header: twelve columns (ent_num, SDN_Name, SDN_Type, Program, Title,
Call_Sign, Vess_type, Tonnage, GRT, Vess_flag, Vess_owner, Remarks), `-0-` for an empty
cell, and a Ctrl-Z (0x1A) on a line of its own at the end. Beside it OFAC publishes
`alt.csv` (ent_num, alt_num, alt_type, alt_name, remarks) and `add.csv` (ent_num, add_num,
address, city, country, remarks); when they lie next to the file, they give aliases and the
vendor's country.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from procwatch.domain import MeasureKind, VendorKind
from procwatch.domain.records import Warn
from procwatch.errors import InvalidInputError
from procwatch.importers.columns import (
    Preset,
    Progress,
    RawEntry,
    TableLayout,
    shown,
    table_rows,
)
from procwatch.resolve import country_code

COLUMNS = (
    "id",
    "name",
    "type",
    "program",
    "title",
    "call_sign",
    "vessel_type",
    "tonnage",
    "grt",
    "vessel_flag",
    "vessel_owner",
    "remarks",
)
NULL = "-0-"
END_OF_FILE = "\x1a"
NOT_VENDORS = frozenset(["vessel", "aircraft"])
# Remarks name aliases as "a.k.a. 'BNC'; f.k.a. 'OLD NAME'".
_REMARK_ALIAS = re.compile(r"\b(?:a\.k\.a\.|f\.k\.a\.|n\.k\.a\.)\s+'([^']+)'", re.IGNORECASE)
_PROGRAM = re.compile(r"[^\[\]]+")


def cell(value: Any) -> str:
    """Return a cell's text, '' for OFAC's null marker."""
    text = " ".join(str(value or "").split())
    return "" if text == NULL else text


def read(
    path: Path, layout: TableLayout, warn: Warn, progress: Progress | None
) -> Iterator[RawEntry]:
    """Yield each entry of sdn.csv, with its aliases and country from alt.csv and add.csv."""
    aliases = _side_file(path, "alt.csv", 5, layout, lambda cells: cells[3])
    countries = _side_file(path, "add.csv", 6, layout, lambda cells: cells[4])
    for number, cells in table_rows(path, layout, progress):
        if not cells or (len(cells) == 1 and cells[0].strip(END_OF_FILE + " ") == ""):
            continue
        if len(cells) != len(COLUMNS):
            raise InvalidInputError(
                f"{path.name} row {number}: expected OFAC's sdn.csv (12 columns, no header: "
                f"ent_num, SDN_Name, SDN_Type, Program, ..., Remarks); found {len(cells)} "
                f"columns: {shown(cells, 4)}"
            )
        if number == 1 and cells[0].strip().casefold() == "ent_num":
            continue
        if not cells[0].strip().isdigit():
            raise InvalidInputError(
                f"{path.name} row {number}: expected OFAC's sdn.csv, whose first column is "
                f"the entry number; found {cells[0].strip()!r}"
            )
        values: dict[str, Any] = {
            field: cell(value) for field, value in zip(COLUMNS, cells, strict=True)
        }
        number_text = values["id"]
        values["alt_names"] = aliases.get(number_text, [])
        values["addresses"] = countries.get(number_text, [])
        yield RawEntry(locator=f"row {number}", values=values)


def _side_file(
    path: Path, name: str, width: int, layout: TableLayout, pick: Callable[[list[Any]], Any]
) -> dict[str, list[str]]:
    side = _sibling(path, name)
    if side is None:
        return {}
    found: dict[str, list[str]] = defaultdict(list)
    for number, cells in table_rows(side, layout):
        if not cells or (len(cells) == 1 and cells[0].strip(END_OF_FILE + " ") == ""):
            continue
        if len(cells) != width or not cells[0].strip().isdigit():
            raise InvalidInputError(
                f"{side.name} row {number}: expected OFAC's {name} ({width} columns, the "
                f"first the entry number); found {shown(cells, 4)}"
            )
        value = cell(pick(cells))
        if value:
            found[cells[0].strip()].append(value)
    return found


def _sibling(path: Path, name: str) -> Path | None:
    # Only OFAC's own file names: an sdn.csv saved under another name has no known siblings.
    if path.name.casefold() != "sdn.csv":
        return None
    for candidate in (path.with_name(name), path.with_name(name.upper())):
        if candidate.is_file():
            return candidate
    return None


def adapt(entry: RawEntry, warn: Warn) -> RawEntry | None:
    """Skip vessels and aircraft, split the programs, name persons first name first."""
    kind = entry.text("type").casefold()
    if kind in NOT_VENDORS:
        warn(f"{kind} entries are not vendors; skipped")
        return None
    person = kind == "individual"
    listed = entry.text("name")
    values: dict[str, Any] = {
        "id": entry.text("id"),
        "name": _first_name_first(listed) if person else listed,
        "aliases": [
            *([listed] if person else []),
            *(_first_name_first(alias) if person else alias for alias in entry.values["alt_names"]),
            *_REMARK_ALIAS.findall(entry.text("remarks")),
        ],
        "program": "; ".join(_programs(entry.text("program"))),
        "country": "US",
        "authority": "Office of Foreign Assets Control, US Department of the Treasury",
        "kind": MeasureKind.BAN.value,
        "list": "ofac-sdn",
        "id_scheme": "US-OFAC",
        "vendor_kind": (VendorKind.PERSON if person else VendorKind.ORGANISATION).value,
        "vendor_country": _one_country(entry.values["addresses"]),
        "quote": None,
    }
    return RawEntry(locator=f"SDN entity {values['id']}, {entry.locator}", values=values)


def _programs(text: str) -> list[str]:
    # "SDGT] [IFSR" (OFAC drops the outer brackets) and "[SDGT] [IFSR]" are two programs.
    return [part.strip() for part in _PROGRAM.findall(text) if part.strip()]


def _first_name_first(name: str) -> str:
    # OFAC writes persons "LAST, First": "ABBAS, Abu" is Abu ABBAS.
    last, comma, first = name.partition(", ")
    return f"{first} {last}" if comma and first and "," not in first else name


def _one_country(countries: list[str]) -> str | None:
    codes = {code for text in countries if (code := country_code(text))}
    return codes.pop() if len(codes) == 1 else None


PRESET = Preset(
    name="ofac-sdn",
    description="OFAC Specially Designated Nationals, legacy sdn.csv",
    layout=TableLayout(mapping={}, header=False, encoding="utf-8-sig"),
    adapt=adapt,
    publisher="Office of Foreign Assets Control, US Department of the Treasury",
    url="https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/SDN.CSV",
    reader=read,
)
