"""Import runs: what each import read, when, and what it did to each table."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import select

from procwatch import tables
from procwatch.dates import utc_stamp
from procwatch.domain import ImportKind, Outcome

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from procwatch.importers import ImportSummary
    from procwatch.store import Store


@dataclass(frozen=True)
class ImportRun:
    """One recorded import: what it read, when, and what it did to each table."""

    id: int
    kind: str
    preset: str | None
    path: str
    sha256: str | None
    started_at: str
    finished_at: str
    # {table: {outcome: count}}, outcomes with a zero count left out.
    counts: dict[str, dict[str, int]]
    warnings: int

    def total(self, outcome: Outcome) -> int:
        """Return how many records of every table had an outcome."""
        return sum(per_table.get(outcome.value, 0) for per_table in self.counts.values())


def now() -> datetime:
    """Return the current time in UTC, to the second, as runs record it."""
    return datetime.now(UTC).replace(microsecond=0)


def record_run(
    store: Store,
    summary: ImportSummary,
    *,
    kind: ImportKind,
    path: str,
    started_at: datetime,
    sha256: str | None = None,
    source_id: int | None = None,
    preset: str | None = None,
) -> int:
    """Record an import that is about to commit in the same transaction; return its id."""
    counts: dict[str, dict[str, int]] = {}
    for (table, outcome), count in sorted(summary.counts.items()):
        if count:
            counts.setdefault(table, {})[outcome.value] = count
    run_id = store.insert(
        tables.import_runs,
        {
            "kind": kind.value,
            "preset": preset,
            "source_id": source_id,
            "path": path,
            "sha256": sha256,
            "started_at": started_at,
            "finished_at": now(),
            "counts": json.dumps(counts, sort_keys=True),
            "warnings": sum(summary.warnings.values()),
        },
    )
    summary.run_id = run_id
    return run_id


def list_runs(connection: Connection, *, limit: int | None = None) -> list[ImportRun]:
    """Return the recorded imports, newest first."""
    run = tables.import_runs.c
    query = select(tables.import_runs).order_by(run.id.desc())
    if limit is not None:
        query = query.limit(limit)
    return [
        ImportRun(
            id=row.id,
            kind=row.kind,
            preset=row.preset,
            path=row.path,
            sha256=row.sha256,
            started_at=utc_stamp(row.started_at),
            finished_at=utc_stamp(row.finished_at),
            counts=json.loads(row.counts),
            warnings=row.warnings,
        )
        for row in connection.execute(query)
    ]
