"""The domain's words as enums: no SQLAlchemy, no I/O, cheap to import at start-up."""

from enum import StrEnum


class MeasureKind(StrEnum):
    """What a jurisdiction decided about a vendor."""

    BAN = "ban"
    RESTRICTION = "restriction"
    INVESTIGATION = "investigation"


class VendorKind(StrEnum):
    """What a vendor is, as its list says: a firm or other body, a natural person, or unsaid."""

    ORGANISATION = "organisation"
    PERSON = "person"
    UNKNOWN = "unknown"


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
    # A row an import took away: an OCDS contract no longer in its process's merge.
    REMOVED = "removed"


class Verdict(StrEnum):
    """A reviewer's judgement of whether a screened name is a known vendor."""

    SAME = "same"
    DIFFERENT = "different"
    UNSURE = "unsure"


class ImportKind(StrEnum):
    """What an import run read: an OCDS publication or a list of measures."""

    OCDS = "ocds"
    MEASURES = "measures"


class ChangeSubject(StrEnum):
    """What an import changed: whether a contract carries a flag, or a vendor's level."""

    CONTRACT = "contract"
    VENDOR = "vendor"
