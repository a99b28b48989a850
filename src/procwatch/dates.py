"""Dates at the precision their source gave: a year, a month or a day, never an invented day."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum

from procwatch.errors import InvalidInputError

_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
# A day with a time or a UTC offset (OCDS, XSD: "2015-07-01-04:00", "2015-07-01Z"): the day.
_STAMP = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:T[\d:.]+)?(?:Z|[+-]\d{2}:\d{2})?$")


class Precision(StrEnum):
    """How much of a date the source gave."""

    YEAR = "year"
    MONTH = "month"
    DAY = "day"


@dataclass(frozen=True, order=True)
class PartialDate:
    """A calendar date known to the year, the month or the day."""

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if self.day is not None and self.month is None:
            raise ValueError("a day needs a month")
        # date() validates month and day ranges, including leap years.
        date(self.year, self.month or 1, self.day or 1)

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Parse `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (a time or UTC offset after it is dropped)."""
        value = text.strip()
        if stamp := _STAMP.match(value):
            value = stamp.group(1)
        match = _ISO.match(value)
        if not match:
            raise InvalidInputError(f"invalid date {text!r}: expected YYYY, YYYY-MM or YYYY-MM-DD")
        year, month, day = (int(part) if part else None for part in match.groups())
        assert year is not None
        try:
            return cls(year, month, day)
        except ValueError as error:
            raise InvalidInputError(f"invalid date {text!r}: {error}") from None

    @property
    def precision(self) -> Precision:
        """Return how precise the date is."""
        if self.day is not None:
            return Precision.DAY
        if self.month is not None:
            return Precision.MONTH
        return Precision.YEAR

    def earliest(self) -> date:
        """Return the first day the date may denote."""
        return date(self.year, self.month or 1, self.day or 1)

    def latest(self) -> date:
        """Return the last day the date may denote."""
        if self.day is not None and self.month is not None:
            return date(self.year, self.month, self.day)
        if self.month is not None:
            next_month = date(self.year + self.month // 12, self.month % 12 + 1, 1)
            return date.fromordinal(next_month.toordinal() - 1)
        return date(self.year, 12, 31)

    def __str__(self) -> str:
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text


def parse_optional(text: str | None) -> PartialDate | None:
    """Parse a date, or return None for an empty value."""
    if text is None or not text.strip():
        return None
    return PartialDate.parse(text)


def format_period(start: str | None, end: str | None) -> str:
    """Render a stored start/end pair as one label: `2012`, `2018-2020`, `2024-03`."""
    if not start:
        return ""
    if not end or end == start:
        return start
    return f"{start}/{end}" if len(start) > 4 or len(end) > 4 else f"{start}-{end}"


def utc_stamp(value: datetime) -> str:
    """Return a recorded moment as text in UTC ("2026-12-04 18:56:54 UTC")."""
    # SQLite gives a moment back without its zone; procwatch records every one in UTC.
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
