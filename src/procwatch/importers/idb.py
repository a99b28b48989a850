"""The IDB Group's sanctioned firms and individuals, as the XLSX its page exports (`--preset idb`).

The page's "Export data" gives one header row (Title, Entity, Nationality, Country, From,
To, Grounds, Source, IDB Sanction Type, IDB Sanction Source, Other Name) and may end with
notes rows ("Applied filters: ...") that name no entity; they are not firms and are skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from procwatch.domain import VendorKind
from procwatch.domain.records import Warn
from procwatch.importers.cleaning import vendor_kind
from procwatch.importers.columns import (
    Preset,
    Progress,
    RawEntry,
    TableLayout,
    entries_below_header,
)

COLUMNS = {
    "name": "Title",
    "entity": "Entity",
    "nationality": "Nationality",
    "vendor_country": "Country",
    "start": "From",
    "end": "To",
    "reason": "Grounds",
    "origin": "Source",
    "kind": "IDB Sanction Type",
    "sanction_source": "IDB Sanction Source",
    "aliases": "Other Name",
}
OWN_NAMES = frozenset(["idb", "iadb", "idb group", "inter-american development bank"])


def read(
    path: Path, layout: TableLayout, warn: Warn, progress: Progress | None
) -> Iterator[RawEntry]:
    """Yield the sanctioned parties below the header (the first non-empty row)."""
    return entries_below_header(
        path, layout, COLUMNS, "the IDB's sanctioned firms and individuals export", warn, progress
    )


def adapt(entry: RawEntry, warn: Warn) -> RawEntry | None:
    """Fill in the issuer; the party's kind, country and the originating bank from its row."""
    if not entry.text("entity"):
        # The export's closing notes ("Applied filters: From Date is on or after ...").
        warn("rows without an Entity (the export's notes); skipped")
        return None
    values = dict(entry.values)
    origin = entry.text("origin")
    values["origin"] = None if origin.casefold() in OWN_NAMES else origin or None
    values["country"] = "IDB"
    values["authority"] = "Inter-American Development Bank Group"
    values["vendor_country"] = entry.text("nationality") or entry.text("vendor_country")
    values["list"] = "idb"
    values["id_scheme"] = ""
    values["vendor_kind"] = (vendor_kind(entry.text("entity")) or VendorKind.UNKNOWN).value
    values["quote"] = None
    return RawEntry(locator=entry.locator, values=values)


PRESET = Preset(
    name="idb",
    description="Inter-American Development Bank Group, sanctioned firms and individuals (XLSX)",
    layout=TableLayout(mapping={}, header=False),
    adapt=adapt,
    publisher="Inter-American Development Bank Group",
    signature=frozenset(["Title", "Entity", "IDB Sanction Type", "IDB Sanction Source"]),
    url="https://www.iadb.org/en/who-we-are/transparency/sanctions-system/sanctioned-firms-and-individuals",
    reader=read,
)
