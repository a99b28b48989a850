"""Measure vendor matching on labelled name pairs, next to OpenSanctions' logic-v2.

Usage: python benchmarks/matching.py [FOLDER]   (default ../shared/data/matching)

FOLDER holds `name-pairs.csv` (pairs of names labelled match or not, from nomenklatura's name
benchmark) and `logicv2-results.csv` (logic-v2's prediction on the same pairs); see its README.
For each schema and case group, and for organisation pairs overall, prints and writes to
docs/benchmarks-matching.md the precision, recall and F1 of:
  - the name key: a pair is predicted a match when one name's `name_key` looks the other
    up (`key_matches`: equal, or the same words where one says no kind of entity), as
    `find_vendor` does;
  - the duplicates scoring: a pair is predicted a match when `name_score` reaches
    DEFAULT_MIN_SCORE (the pairs `vendors duplicates` lists by default);
  - logic-v2, on the pairs it scored.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from procwatch.matching import DEFAULT_MIN_SCORE, name_score
from procwatch.resolve import key_matches, name_key

REPO = Path(__file__).resolve().parent.parent
DEFAULT_FOLDER = REPO / ".." / "shared" / "data" / "matching"
REPORT = REPO / "docs" / "benchmarks-matching.md"
ORGANISATIONS = frozenset({"Company", "Organization", "LegalEntity"})
# logic-v2's results split nomenklatura's synthetic company pairs in two: `synth_corp_positives`
# (clean variants such as "Apple Inc." ~ "Apple Incorporated") and `synth_companies`, whose
# labels the benchmark calls proposed deviations. Its README's headline figures leave out only
# the latter, and so does ours.
NOISY_GROUP = "synth_companies"
# The report's table is written between these lines; the prose around them is kept.
BEGIN = "<!-- figures: written by benchmarks/matching.py -->"
END = "<!-- end of figures -->"


@dataclass(frozen=True)
class Pair:
    """A labelled pair, with logic-v2's prediction when it scored the pair."""

    group: str
    schema: str
    first: str
    second: str
    is_match: bool
    logic_v2: bool | None


@dataclass(frozen=True)
class Counts:
    """Outcomes of one matcher on some pairs."""

    pairs: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, predicted: bool, actual: bool) -> Counts:
        return Counts(
            self.pairs + 1,
            self.tp + (predicted and actual),
            self.fp + (predicted and not actual),
            self.fn + (actual and not predicted),
        )

    @property
    def precision(self) -> float | None:
        found = self.tp + self.fp
        return self.tp / found if found else None

    @property
    def recall(self) -> float | None:
        wanted = self.tp + self.fn
        return self.tp / wanted if wanted else None

    @property
    def f1(self) -> float | None:
        found, wanted = self.tp + self.fp, self.tp + self.fn
        return 2 * self.tp / (found + wanted) if found + wanted else None


@dataclass(frozen=True)
class Row:
    """The figures of one set of pairs: name key, duplicates scoring and logic-v2."""

    label: str
    name_key: Counts
    duplicates: Counts
    logic_v2: Counts


def read_pairs(folder: Path) -> list[Pair]:
    """Read the labelled pairs, each with logic-v2's prediction (None where it has none)."""
    predicted: dict[tuple[str, str, str, str], tuple[str, bool]] = {}
    logic_file = folder / "logicv2-results.csv"
    if logic_file.exists():
        with logic_file.open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                group = row["case_group"].replace("synth_corp_positives", NOISY_GROUP)
                predicted[group, row["schema"], row["name1"], row["name2"]] = (
                    row["case_group"],
                    row["predicted_match"] == "true",
                )
    pairs = []
    with (folder / "name-pairs.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            group, logic_v2 = predicted.get(
                (row["case_group"], row["schema"], row["name1"], row["name2"]),
                (row["case_group"], None),
            )
            pairs.append(
                Pair(
                    group=group,
                    schema=row["schema"],
                    first=row["name1"],
                    second=row["name2"],
                    is_match=row["is_match"] == "true",
                    logic_v2=logic_v2,
                )
            )
    return pairs


def measure(pairs: list[Pair]) -> list[Row]:
    """Return the figures per schema and case group, then for organisation pairs overall."""
    predictions = [
        (
            pair,
            key_matches(name_key(pair.first), name_key(pair.second)),
            name_score(pair.first, pair.second) >= DEFAULT_MIN_SCORE,
        )
        for pair in pairs
    ]
    organisation = [p for p in predictions if p[0].schema in ORGANISATIONS]
    sets: list[tuple[str, Callable[[Pair], bool]]] = [
        (f"{schema} / {group}", lambda p, s=schema, g=group: (p.schema, p.group) == (s, g))
        for schema, group in sorted({(p.schema, p.group) for p in pairs})
    ]
    rows = [_row(label, [p for p in predictions if keep(p[0])]) for label, keep in sets]
    outside = [p for p in organisation if p[0].group != NOISY_GROUP]
    rows.append(
        _row(
            f"**organisations outside {NOISY_GROUP}, pairs logic-v2 scored**",
            [p for p in outside if p[0].logic_v2 is not None],
        )
    )
    rows.append(_row(f"organisations outside {NOISY_GROUP}, all pairs", outside))
    rows.append(
        _row(
            "organisations outside both synthetic groups",
            [p for p in organisation if not p[0].group.startswith("synth_")],
        )
    )
    rows.append(_row("all organisations", organisation))
    rows.append(_row("all pairs", predictions))
    return rows


def _row(label: str, predictions: Iterable[tuple[Pair, bool, bool]]) -> Row:
    key, duplicates, logic_v2 = Counts(), Counts(), Counts()
    for pair, by_key, by_score in predictions:
        key = key.add(by_key, pair.is_match)
        duplicates = duplicates.add(by_score, pair.is_match)
        if pair.logic_v2 is not None:
            logic_v2 = logic_v2.add(pair.logic_v2, pair.is_match)
    return Row(label, key, duplicates, logic_v2)


def table(rows: list[Row]) -> str:
    """Return the figures as a Markdown table: pairs, then P / R / F1 of each matcher."""
    lines = [
        "| pairs (schema / group) | n | name key P | R | F1 | duplicates P | R | F1"
        " | logic-v2 n | P | R | F1 |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for row in rows:
        cells = [row.label, str(row.name_key.pairs)]
        for counts in (row.name_key, row.duplicates, row.logic_v2):
            if counts is row.logic_v2:
                cells.append(str(counts.pairs))
            cells += [_figure(counts.precision), _figure(counts.recall), _figure(counts.f1)]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _figure(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def write_report(report: Path, figures: str) -> None:
    """Put `figures` between the report's markers, keeping the prose around them."""
    text = report.read_text(encoding="utf-8") if report.exists() else f"{BEGIN}\n{END}\n"
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    report.write_text(f"{head}{BEGIN}\n{figures}\n{END}{tail}", encoding="utf-8")


def main(argv: list[str]) -> None:
    folder = Path(argv[0]) if argv else DEFAULT_FOLDER
    figures = table(measure(read_pairs(folder)))
    print(figures)
    write_report(REPORT, figures)


if __name__ == "__main__":
    main(sys.argv[1:])
