"""Compare dates of partial precision honestly: yes, no, or possibly when the data cannot tell."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from procwatch.dates import PartialDate, parse_optional


class Certainty(StrEnum):
    """Whether something is known to hold, known not to hold, or cannot be told from the dates."""

    YES = "yes"
    POSSIBLY = "possibly"
    NO = "no"


class MeasureStatus(StrEnum):
    """Where a measure stands on a given date."""

    IN_FORCE = "in force"
    POSSIBLY_IN_FORCE = "possibly in force"
    POSSIBLY_ENDED = "possibly ended"
    ENDED = "ended"


@dataclass(frozen=True)
class Period:
    """A stored start/end pair; a missing end means a single date (contract) or open (measure)."""

    start: PartialDate | None
    end: PartialDate | None = None

    @classmethod
    def of(cls, start: str | None, end: str | None = None) -> Period:
        """Parse a stored ISO start and end."""
        return cls(parse_optional(start), parse_optional(end))


def in_force_when_signed(measure: Period, signed: Period) -> Certainty:
    """Say whether a measure was in force when a contract (or any part of a range) was signed.

    Two events on the same day (or within one month or year, at coarser precision) are in
    unknown order, so the answer is "possibly"; only a measure whose whole start lies before
    the whole signing window, and whose end (if any) lies after it, is a "yes".
    """
    if signed.start is None:
        return Certainty.POSSIBLY
    signed_first = signed.start.earliest()
    signed_last = (signed.end or signed.start).latest()
    start_first = measure.start.earliest() if measure.start else date.min
    start_last = measure.start.latest() if measure.start else date.max
    if start_first > signed_last:
        return Certainty.NO
    if measure.end is not None and measure.end.latest() < signed_first:
        return Certainty.NO
    ends_after = measure.end is None or measure.end.earliest() > signed_last
    if start_last < signed_first and ends_after:
        return Certainty.YES
    return Certainty.POSSIBLY


def happened_by(when: PartialDate | None, as_of: PartialDate) -> Certainty:
    """Say whether a dated event had happened by the as-of date (the as-of day included)."""
    if when is None:
        return Certainty.POSSIBLY
    if when.earliest() > as_of.latest():
        return Certainty.NO
    if when.latest() <= as_of.earliest():
        return Certainty.YES
    return Certainty.POSSIBLY


def status_as_of(measure: Period, as_of: PartialDate) -> MeasureStatus | None:
    """Return where a measure stands on the as-of date, or None if it had surely not begun."""
    started = happened_by(measure.start, as_of)
    if started is Certainty.NO:
        return None
    ended = Certainty.NO if measure.end is None else happened_by(measure.end, as_of)
    if ended is Certainty.YES:
        return MeasureStatus.ENDED
    if ended is Certainty.POSSIBLY:
        return MeasureStatus.POSSIBLY_ENDED
    if started is Certainty.POSSIBLY:
        return MeasureStatus.POSSIBLY_IN_FORCE
    return MeasureStatus.IN_FORCE


def sort_key(when: str | None) -> tuple[bool, date]:
    """Order stored dates by their first possible day, undated ones last."""
    parsed = parse_optional(when)
    return (parsed is None, parsed.earliest() if parsed else date.max)
