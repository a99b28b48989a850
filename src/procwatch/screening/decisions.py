"""One vendor's measures as decisions: an issuer's own measure with the measures enforcing it.

Under the development banks' mutual enforcement, the EBRD's list repeats a World Bank
debarment as a cross-debarment. That is one decision taken once, by the World Bank, and
enforced by the EBRD too: levels, reasons and flags count it once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from procwatch.queries.citations import SourceRef
from procwatch.queries.measures import IssuerRef, MeasureRecord


class Measure(Protocol):
    """What the grouping reads of a measure: a MeasureRecord, or a row of the flag query."""

    @property
    def id(self) -> int: ...
    @property
    def kind(self) -> str: ...
    @property
    def date(self) -> str | None: ...
    @property
    def date_end(self) -> str | None: ...
    @property
    def issuer(self) -> IssuerRef: ...
    @property
    def origin(self) -> IssuerRef | None: ...


M = TypeVar("M", bound=Measure)


@dataclass(frozen=True)
class Decision(Generic[M]):
    """A decision about a vendor: by whom, as which measure, and who else enforces it."""

    decider: IssuerRef
    # The decider's own measure, when the database holds it (else only enforcements).
    own: M | None
    enforcements: tuple[M, ...]

    @property
    def main(self) -> M:
        """Return the measure whose kind and dates the decision has: the decider's own first."""
        return self.own or self.enforcements[0]

    @property
    def measures(self) -> list[M]:
        """Return every measure of the decision, the decider's own first."""
        return [*([self.own] if self.own else []), *self.enforcements]

    @property
    def enforcers(self) -> list[IssuerRef]:
        """Return the issuers enforcing the decision, each once, by code."""
        found = {m.issuer.code: m.issuer for m in self.enforcements}
        return [found[code] for code in sorted(found)]

    @property
    def sources(self: Decision[MeasureRecord]) -> list[SourceRef]:
        """Return the sources of every measure of the decision, each once."""
        return list(dict.fromkeys(s for m in self.measures for s in m.sources))


def decisions(measures: Sequence[M]) -> list[Decision[M]]:
    """Group one vendor's measures into decisions, in the order of their main measures.

    An enforcement belongs to the origin's own measure of the same kind that starts on the
    same date (or whose start one of them leaves open); enforcements of a decision the
    database does not hold are grouped by origin, kind and start date.
    """
    own = [m for m in measures if m.origin is None]
    attached: dict[int, list[M]] = {m.id: [] for m in own}
    orphans: dict[tuple[str, str, str | None], list[M]] = {}
    for measure in measures:
        if measure.origin is None:
            continue
        original = next((m for m in own if _enforces(measure, m)), None)
        if original is not None:
            attached[original.id].append(measure)
        else:
            key = (measure.origin.code, measure.kind, measure.date)
            orphans.setdefault(key, []).append(measure)
    found = [Decision(m.issuer, m, tuple(attached[m.id])) for m in own]
    for group in orphans.values():
        origin = group[0].origin
        assert origin is not None
        found.append(Decision(origin, None, tuple(group)))
    position = {m.id: index for index, m in enumerate(measures)}
    return sorted(found, key=lambda d: position[d.main.id])


def _enforces(enforcement: Measure, original: Measure) -> bool:
    assert enforcement.origin is not None
    if enforcement.origin.code != original.issuer.code or enforcement.kind != original.kind:
        return False
    # A date at a coarser precision ("2022-03") agrees with every day it contains.
    first, second = enforcement.date, original.date
    return first is None or second is None or first.startswith(second) or second.startswith(first)
