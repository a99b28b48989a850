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
    """Who issues a measure or a contract: a country, a union of states, an international body."""

    COUNTRY = "country"
    UNION = "union"
    # A development bank or the UN Security Council: it decides measures but has no territory.
    INTERNATIONAL = "international"


class Outcome(StrEnum):
    """What a write did to one record."""

    ADDED = "added"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
