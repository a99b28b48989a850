"""Screen a supplier list: for each counterparty, the vendors it may be, and their level.

Candidates come in three strengths: an identifier the vendor holds too, a name (or alias)
with the same name key, and names that the blocking index of matching.py finds alike,
scored by `compare_vendors` with its reasons. A reviewer's decision (screening/reviews.py)
is shown on its candidate; a "different" one does not raise the counterparty's level, a
"same" one brings its vendor in even when the names score low. Each candidate's level is
`check`'s, at the row's date: the same rule, the same measures, the same flags.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import select

from procwatch import tables
from procwatch.dates import PartialDate
from procwatch.domain import Verdict
from procwatch.domain.records import Progress
from procwatch.matching import DEFAULT_MIN_SCORE, NameIndex, VendorNames, compare_vendors
from procwatch.queries.coverage import Coverage, coverage, involved_issuers, no_match_text
from procwatch.resolve import Country, keys_looked_up, memberships, name_key, resolve_country
from procwatch.screening.counterparties import Counterparty
from procwatch.screening.periods import MeasureStatus, sort_key
from procwatch.screening.report import (
    Level,
    MeasuresJudged,
    check_vendor,
    highest,
    judge_measures,
    measures_by_vendor,
)
from procwatch.screening.reviews import ReviewDecision, decisions_by_pair
from procwatch.store import chunked
from procwatch.vendors import vendor_names

if TYPE_CHECKING:
    from sqlalchemy import Connection


# A counterparty shows at most this many candidates, the strongest first: past five, a
# name is too common for the list to help a reviewer, who sees the count of the rest.
MAX_CANDIDATES = 5


# An identifier's value compared across schemes must say something on its own: at least
# this many letters and digits, one of them a digit ("12" or "N/A" is no identity).
MIN_VALUE = 6
SAME_VALUE = 95.0


def identifier_value(text: str) -> str | None:
    """Return an identifier's letters and digits, uppercased, if it is long enough to compare."""
    value = "".join(character for character in text.upper() if character.isalnum())
    if len(value) < MIN_VALUE or not any(character.isdigit() for character in value):
        return None
    return value


class MatchKind(StrEnum):
    """Why a vendor is a candidate for a counterparty, strongest first."""

    IDENTIFIER = "identifier"
    NAME = "name"
    SCORED = "scored"
    # A reviewer said the two are the same, whatever the names score.
    REVIEWED = "reviewed"


_MATCH_ORDER = {MatchKind.IDENTIFIER: 0, MatchKind.NAME: 1, MatchKind.REVIEWED: 2}


class ScreenOutcome(StrEnum):
    """A counterparty's outcome: the highest level of its candidates, or none found."""

    HIGH = "high"
    CAUTION = "caution"
    NONE = "none"
    NO_CANDIDATE = "no candidate"


@dataclass(frozen=True)
class ScreenRow:
    """One counterparty and one of its candidates (or none): one row of CSV and JSON."""

    row: int
    name: str
    country: str | None
    # The date screened at: the row's own, else --as-of, else the day of the screen.
    as_of: str
    outcome: ScreenOutcome
    candidate: str | None = None
    vendor_key: str | None = None
    vendor_country: str | None = None
    match: MatchKind | None = None
    score: float | None = None
    why: str = ""
    # The candidate's own level, as `check` gives it on the date.
    level: Level | None = None
    measures: str = ""
    reasons: str = ""
    review: Verdict | None = None
    review_text: str | None = None


@dataclass(frozen=True)
class ScreenedCounterparty:
    """A counterparty with its candidates' rows, the strongest first."""

    counterparty: Counterparty
    outcome: ScreenOutcome
    rows: list[ScreenRow]
    # Candidates found past MAX_CANDIDATES.
    more: int = 0


@dataclass(frozen=True)
class ScreenReport:
    """The screen of a supplier list."""

    counterparties: list[ScreenedCounterparty]
    as_of: str
    for_country: str | None
    min_score: float
    vendors: int
    coverage: Coverage

    @property
    def rows(self) -> Iterator[ScreenRow]:
        """Yield every row: each counterparty's candidates, in the file's order."""
        for screened in self.counterparties:
            yield from screened.rows

    @property
    def summary(self) -> dict[ScreenOutcome, int]:
        """Return how many counterparties had each outcome."""
        counts = dict.fromkeys(ScreenOutcome, 0)
        for screened in self.counterparties:
            counts[screened.outcome] += 1
        return counts


@dataclass(frozen=True)
class _Candidate:
    vendor_id: int
    match: MatchKind
    score: float
    why: str


class Screener:
    """The vendors of a database held for matching many names: build once, screen many."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.vendors = vendor_names(connection)
        vendor, alias = tables.vendors.c, tables.vendor_aliases.c
        self.keys: dict[int, str] = {}
        self.by_key: dict[str, set[int]] = defaultdict(set)
        for row in connection.execute(select(vendor.id, vendor.key, vendor.name_key)):
            self.keys[row.id] = row.key
            self.by_key[row.name_key].add(row.id)
        for vendor_id, alias_key in connection.execute(select(alias.vendor_id, alias.alias_key)):
            self.by_key[alias_key].add(vendor_id)
        self.by_identifier: dict[tuple[str, str], set[int]] = defaultdict(set)
        self.by_value: dict[str, set[tuple[int, str]]] = defaultdict(set)
        for vendor_id, names in self.vendors.items():
            for identifier in names.identifiers:
                self.by_identifier[identifier].add(vendor_id)
                if value := identifier_value(identifier[1]):
                    self.by_value[value].add((vendor_id, identifier[0]))
        self.index = NameIndex(self.vendors)
        self.reviews = decisions_by_pair(connection)
        self.reviewed_same: dict[str, list[int]] = defaultdict(list)
        for (key, vendor_id), decision in self.reviews.items():
            if decision.verdict is Verdict.SAME:
                self.reviewed_same[key].append(vendor_id)

    def candidates(self, counterparty: Counterparty, min_score: float) -> list[_Candidate]:
        """Return the vendors a counterparty may be, strongest first."""
        found: dict[int, _Candidate] = {}
        for identifier in counterparty.identifiers:
            for vendor_id in sorted(self.by_identifier.get(identifier, ())):
                found.setdefault(
                    vendor_id,
                    _Candidate(
                        vendor_id,
                        MatchKind.IDENTIFIER,
                        100.0,
                        f"same identifier {':'.join(identifier)}",
                    ),
                )
        for scheme, text in counterparty.identifiers:
            for vendor_id, theirs in sorted(self.by_value.get(identifier_value(text) or "", ())):
                # The same number under another scheme's name ("IDNO" and "MD-IDNO"): as
                # strong as the number is long, just below the same scheme.
                found.setdefault(
                    vendor_id,
                    _Candidate(
                        vendor_id,
                        MatchKind.IDENTIFIER,
                        SAME_VALUE,
                        f"same identifier value {text} ({scheme} and {theirs})",
                    ),
                )
        key = name_key(counterparty.name)
        named = {v for k in keys_looked_up(key) for v in self.by_key.get(k, ())}
        query = VendorNames(
            names=(counterparty.name,),
            country=counterparty.country,
            identifiers=frozenset(counterparty.identifiers),
        )
        alike = self.index.candidates(query.names)
        for vendor_id in named | set(alike) | set(self.reviewed_same.get(key, ())):
            if vendor_id in found:
                continue
            pairs = sorted(alike.get(vendor_id, ())) or [
                (0, index) for index in range(len(self.vendors[vendor_id].names))
            ]
            score = compare_vendors(query, self.vendors[vendor_id], pairs)
            if vendor_id in named:
                kind = MatchKind.NAME
            elif vendor_id in self.reviewed_same.get(key, ()):
                kind = MatchKind.REVIEWED
            elif score.score >= min_score:
                kind = MatchKind.SCORED
            else:
                continue
            found[vendor_id] = _Candidate(vendor_id, kind, score.score, score.why)
        return sorted(
            found.values(),
            key=lambda c: (_MATCH_ORDER.get(c.match, 3), -c.score, c.vendor_id),
        )


def screen(
    connection: Connection,
    counterparties: Sequence[Counterparty],
    *,
    as_of: str | None = None,
    for_country: str | None = None,
    min_score: float = DEFAULT_MIN_SCORE,
    today: date | None = None,
    progress: Progress | None = None,
) -> ScreenReport:
    """Screen counterparties against the database's vendors, each at its row's date.

    A row without a date is screened at `as_of`, else at `today` (default: the day it runs).
    """
    default = str(PartialDate.parse(as_of)) if as_of else (today or date.today()).isoformat()
    country = resolve_country(connection, for_country) if for_country else None
    # The issuers a screen involves are check's: those binding the buyer, else the banks.
    covered = coverage(
        connection,
        involved_issuers(
            connection,
            related_codes=country.related_codes if country else None,
            measure_issuers=(),
        ),
    )
    no_match = no_match_text(covered)
    screener = Screener(connection)
    found = []
    for done, counterparty in enumerate(counterparties, start=1):
        found.append(screener.candidates(counterparty, min_score))
        if progress is not None:
            progress("matching", done, len(counterparties))
    judge = _Judge(
        connection,
        screener,
        {c.vendor_id for candidates in found for c in candidates[:MAX_CANDIDATES]},
        country,
    )
    screened = []
    for counterparty, candidates in zip(counterparties, found, strict=True):
        when = counterparty.date or default
        key = name_key(counterparty.name)
        judged = [
            (c, judge(c.vendor_id, when), screener.reviews.get((key, c.vendor_id)))
            for c in candidates[:MAX_CANDIDATES]
        ]
        # A candidate a reviewer said is a different party does not raise the outcome.
        levels = [
            judgement.level
            for _, judgement, decision in judged
            if decision is None or decision.verdict is not Verdict.DIFFERENT
        ]
        if levels:
            outcome = ScreenOutcome(highest(levels).value)
        else:
            outcome = ScreenOutcome.NONE if judged else ScreenOutcome.NO_CANDIDATE
        rows = [
            _row(counterparty, when, outcome, screener, candidate, judgement, decision)
            for candidate, judgement, decision in judged
        ] or [
            ScreenRow(
                row=counterparty.row,
                name=counterparty.name,
                country=counterparty.country,
                as_of=when,
                outcome=outcome,
                why=no_match,
            )
        ]
        screened.append(
            ScreenedCounterparty(
                counterparty, outcome, rows, more=max(len(candidates) - MAX_CANDIDATES, 0)
            )
        )
    return ScreenReport(
        counterparties=screened,
        as_of=default,
        for_country=country.code if country else None,
        min_score=min_score,
        vendors=len(screener.vendors),
        coverage=covered,
    )


def _row(
    counterparty: Counterparty,
    when: str,
    outcome: ScreenOutcome,
    screener: Screener,
    candidate: _Candidate,
    judgement: MeasuresJudged,
    decision: ReviewDecision | None,
) -> ScreenRow:
    names = screener.vendors[candidate.vendor_id]
    measures = [
        f"{measure.country_name}: {measure.label}"
        for measure in sorted(judgement.measures, key=lambda m: (sort_key(m.date), m.country))
        if measure.status is not MeasureStatus.ENDED
    ]
    return ScreenRow(
        row=counterparty.row,
        name=counterparty.name,
        country=counterparty.country,
        as_of=when,
        outcome=outcome,
        candidate=names.names[0],
        vendor_key=screener.keys[candidate.vendor_id],
        vendor_country=names.country,
        match=candidate.match,
        score=candidate.score,
        why=candidate.why,
        level=judgement.level,
        measures="; ".join(measures),
        reasons="; ".join(r.text for r in judgement.reasons if r.level is not Level.NONE),
        review=decision.verdict if decision else None,
        review_text=decision.text if decision else None,
    )


class _Judge:
    """Check's level, measures and reasons of candidates on dates, each (vendor, date) once.

    Most candidates of a supplier list are listed vendors without a contract: their measures
    are read in bulk and judged by check's rule on them alone; a vendor with contracts gets
    the whole `check_vendor`, whose red flags can raise its level.
    """

    def __init__(
        self,
        connection: Connection,
        screener: Screener,
        vendor_ids: set[int],
        country: Country | None,
    ) -> None:
        self.connection = connection
        self.screener = screener
        self.country = country
        contract = tables.contracts.c
        self.with_contracts = {
            vendor_id
            for chunk in chunked(sorted(vendor_ids))
            for vendor_id in connection.scalars(
                select(contract.vendor_id).where(contract.vendor_id.in_(chunk)).distinct()
            )
        }
        self.measures = measures_by_vendor(connection, sorted(vendor_ids - self.with_contracts))
        unions_of, _ = memberships(connection)
        self.home_unions = frozenset(unions_of.get(country.code, [])) if country else frozenset()
        self.judged: dict[tuple[int, str], MeasuresJudged] = {}

    def __call__(self, vendor_id: int, when: str) -> MeasuresJudged:
        if (vendor_id, when) not in self.judged:
            self.judged[vendor_id, when] = self._judge(vendor_id, when)
        return self.judged[vendor_id, when]

    def _judge(self, vendor_id: int, when: str) -> MeasuresJudged:
        if vendor_id not in self.with_contracts:
            return judge_measures(
                self.measures[vendor_id],
                when,
                home=self.country.code if self.country else None,
                home_unions=self.home_unions,
            )
        report = check_vendor(
            self.connection,
            self.screener.vendors[vendor_id].names[0],
            vendor_id=vendor_id,
            as_of=when,
            for_country=self.country.code if self.country else None,
            covered=False,
        )
        entries = [measure for row in report.jurisdictions for measure in row.measures]
        return MeasuresJudged(report.level, entries, report.reasons)
