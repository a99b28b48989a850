"""The US Consolidated Screening List's published CSV (`--preset us-csl`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from procwatch.domain import MeasureKind
from procwatch.domain.records import Warn
from procwatch.importers.columns import Preset, RawEntry, TableLayout

BIS = "Bureau of Industry and Security, US Department of Commerce"
STATE_ISN = "Bureau of International Security and Nonproliferation, US Department of State"
STATE_DDTC = "Directorate of Defense Trade Controls, US Department of State"
OFAC = "Office of Foreign Assets Control, US Department of the Treasury"


@dataclass(frozen=True)
class ScreeningList:
    """One of the lists the CSL combines: its code, what a listing means and who decides it."""

    code: str
    kind: MeasureKind
    authority: str
    # Treasury lists number entities in one OFAC series; the others give no number.
    id_scheme: str | None = None


LISTS = {
    entry.code: entry
    for entry in [
        ScreeningList("DPL", MeasureKind.BAN, BIS),
        ScreeningList("EL", MeasureKind.RESTRICTION, BIS),
        ScreeningList("UVL", MeasureKind.RESTRICTION, BIS),
        ScreeningList("MEU", MeasureKind.RESTRICTION, BIS),
        ScreeningList("ISN", MeasureKind.RESTRICTION, STATE_ISN),
        ScreeningList("DTC", MeasureKind.BAN, STATE_DDTC),
        ScreeningList("SDN", MeasureKind.BAN, OFAC, "US-OFAC"),
        ScreeningList("FSE", MeasureKind.BAN, OFAC, "US-OFAC"),
        ScreeningList("SSI", MeasureKind.RESTRICTION, OFAC, "US-OFAC"),
        ScreeningList("PLC", MeasureKind.RESTRICTION, OFAC, "US-OFAC"),
        ScreeningList("CAP", MeasureKind.RESTRICTION, OFAC, "US-OFAC"),
        ScreeningList("MBS", MeasureKind.RESTRICTION, OFAC, "US-OFAC"),
        ScreeningList("CMIC", MeasureKind.RESTRICTION, OFAC, "US-OFAC"),
    ]
}
_CODE = re.compile(r"\(([A-Z][A-Z-]*)(?: List)?\)")
_COUNTRY_AT_END = re.compile(r"(?:^|,)\s*([A-Z]{2})\s*$")


def _adapt(entry: RawEntry, warn: Warn) -> RawEntry | None:
    source = entry.text("source")
    if entry.text("type").casefold() in ("vessel", "aircraft"):
        warn(f"{entry.text('type').casefold()} entries are not vendors; skipped")
        return None
    match = _CODE.search(source)
    code = match.group(1).removeprefix("NS-") if match else ""
    listed = LISTS.get(code)
    values = dict(entry.values)
    if listed is None:
        warn(f"unknown list {source!r}: kind and authority only from `kind` and `authority`")
        values["list"] = f"us-csl-{code.lower() or 'unknown'}"
        values["authority"] = source.rpartition(" - ")[2] or None
    else:
        values["list"] = f"us-csl-{code.lower()}"
        values["kind"] = listed.kind.value
        values["authority"] = listed.authority
        values["id_scheme"] = listed.id_scheme
    values["country"] = "US"
    values["vendor_country"] = _address_country(entry.text("addresses"))
    values["scope"] = "; ".join(
        part for part in (entry.text("license_requirement"), entry.text("license_policy")) if part
    )
    return RawEntry(locator=_locator(code, entry), values=values)


def _locator(code: str, entry: RawEntry) -> str:
    number = entry.text("id")
    return f"{code} entity {number}, {entry.locator}" if number else f"{code}, {entry.locator}"


def _address_country(addresses: str) -> str | None:
    # Each address ends with its ISO code ("..., Moscow, RU"); a vendor listed at addresses in
    # several countries gets none rather than an arbitrary one.
    codes = {
        match.group(1)
        for address in addresses.split(";")
        if (match := _COUNTRY_AT_END.search(address))
    }
    return codes.pop() if len(codes) == 1 else None


PRESET = Preset(
    name="us-csl",
    description="US Consolidated Screening List, published CSV (trade.gov)",
    layout=TableLayout(
        mapping={
            "source": "source",
            "id": "entity_number",
            "type": "type",
            "program": "programs",
            "name": "name",
            "addresses": "addresses",
            "legal_basis": "federal_register_notice",
            "start": "start_date",
            "end": "end_date",
            "license_requirement": "license_requirement",
            "license_policy": "license_policy",
            "aliases": "alt_names",
        }
    ),
    adapt=_adapt,
    publisher="International Trade Administration, US Department of Commerce",
    signature=frozenset(["source", "entity_number", "programs", "alt_names", "start_date"]),
)
