"""The domain's words as enums: no SQLAlchemy, no I/O, cheap to import at start-up."""

from enum import StrEnum


class MeasureKind(StrEnum):
    """What a jurisdiction decided about a vendor."""

    BAN = "ban"
    RESTRICTION = "restriction"
    INVESTIGATION = "investigation"


class ProcurementMethod(StrEnum):
    """The OCDS procurementMethod codelist."""

    OPEN = "open"
    SELECTIVE = "selective"
    LIMITED = "limited"
    DIRECT = "direct"


class JurisdictionKind(StrEnum):
    """Whether a jurisdiction is one country or a union of them (the EU)."""

    COUNTRY = "country"
    UNION = "union"


class Outcome(StrEnum):
    """What a write did to one record."""

    ADDED = "added"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
