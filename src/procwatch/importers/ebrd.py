"""The EBRD's list of ineligible entities, as its CSV export (`--preset ebrd`)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from procwatch.domain import MeasureKind
from procwatch.domain.records import Warn
from procwatch.importers.cleaning import names_in, vendor_kind_of
from procwatch.importers.columns import (
    Preset,
    Progress,
    RawEntry,
    TableLayout,
    entries_below_header,
)
from procwatch.resolve import name_key

COLUMNS = {
    "name": "Firm Name",
    "address": "Address",
    "vendor_country": "Nationality",
    "start": "Ineligible From",
    "end": "Ineligible Until",
    "reason": "Prohibited Practice",
    "origin": "Originating Institution",
    "listed": "Notice Effective At EBRD",
}
# The bank's own decisions name it as their originating institution: not a cross-debarment.
OWN_NAMES = frozenset(["ebrd", "european bank for reconstruction and development"])


def read(
    path: Path, layout: TableLayout, warn: Warn, progress: Progress | None
) -> Iterator[RawEntry]:
    """Yield the entities' rows below the header (the first non-empty row)."""
    return entries_below_header(
        path, layout, COLUMNS, "the EBRD's ineligible entities CSV", warn, progress
    )


def adapt(entry: RawEntry, warn: Warn) -> RawEntry | None:
    """Fill in the issuer, the originating institution and keys that keep decisions apart."""
    values = dict(entry.values)
    name = entry.text("name")
    values["name"] = name
    origin = entry.text("origin")
    values["origin"] = None if origin.casefold() in OWN_NAMES else origin or None
    values["country"] = "EBRD"
    values["authority"] = "European Bank for Reconstruction and Development"
    values["kind"] = MeasureKind.BAN.value
    values["list"] = "ebrd"
    # The list gives no entity numbers: a firm is its name and nationality, and a decision
    # is also whose decision it is and when it began (the EBRD enforces a firm's World
    # Bank and IDB debarments as two rows).
    firm = "-".join(filter(None, [name_key(names_in(name)[0]), entry.text("vendor_country")]))
    firm = re.sub(r"[^\w]+", "-", firm.casefold()).strip("-")
    decision = re.sub(r"[^\w]+", "-", f"{origin or 'ebrd'} {entry.text('start')}".casefold())
    values["id"] = firm[:150]
    values["id_scheme"] = ""
    values["key"] = f"ebrd:{firm[:150]}:{decision.strip('-')}"
    values["vendor_kind"] = vendor_kind_of(name).value
    values["quote"] = None
    return RawEntry(locator=entry.locator, values=values)


PRESET = Preset(
    name="ebrd",
    description="EBRD ineligible entities, CSV export",
    layout=TableLayout(mapping={}, header=False),
    adapt=adapt,
    publisher="European Bank for Reconstruction and Development",
    signature=frozenset(["Firm Name", "Originating Institution", "Notice Effective At EBRD"]),
    url="https://www.ebrd.com/ineligible-entities.html",
    reader=read,
)
