"""Where and when a report came from: its as-of date, generation time, version, database."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

import procwatch
from procwatch.db import database_label

if TYPE_CHECKING:
    from sqlalchemy import Connection

# The reproducible-builds variable: set, it fixes "now" (and so "today"), which keeps golden
# files and generated docs stable; unset, the clock is the system's.
ENV_EPOCH = "SOURCE_DATE_EPOCH"


@dataclass(frozen=True)
class ReportOrigin:
    """The facts a published report must carry about itself."""

    # The date the report answers for (YYYY, YYYY-MM or YYYY-MM-DD): given, or today.
    as_of: str
    # When the report was made, in UTC to the second: 2026-12-03T09:30:00Z.
    generated: str
    version: str
    # The database read: a SQLite file's name or server/database, never a password.
    database: str

    def sentence(self) -> str:
        """Say in one line when the report was made, by what and from which database."""
        stamp = self.generated.replace("T", " ").removesuffix("Z") + " UTC"
        return f"Generated {stamp} by procwatch {self.version} from the database {self.database}."


def now() -> datetime:
    """Return the current time in UTC, or SOURCE_DATE_EPOCH's when it is set."""
    epoch = os.environ.get(ENV_EPOCH, "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    return datetime.now(UTC)


def today() -> date:
    """Return today's date in UTC, as `now` gives it."""
    return now().date()


def report_origin(
    reader: Connection,
    as_of: str | None,
    *,
    generated: datetime | None = None,
    version: str | None = None,
) -> ReportOrigin:
    """Return the origin of a report read from `reader` as of a date (default today)."""
    moment = generated or now()
    url = reader.engine.url.render_as_string(hide_password=True)
    return ReportOrigin(
        as_of=as_of or moment.date().isoformat(),
        generated=moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
        version=version or procwatch.__version__,
        database=database_label(url),
    )
