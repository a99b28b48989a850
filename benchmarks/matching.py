"""Measure vendor matching on labelled name pairs, next to OpenSanctions' logic-v2, and at scale.

Usage: python benchmarks/matching.py [FOLDER]   (default ../shared/data/matching)
       python benchmarks/matching.py --scale 25000 50000 [--baseline 10000]

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
It also checks that the blocking index of `vendors duplicates` (matching.candidate_pairs)
proposes every labelled pair the scoring lists: blocking loses none of its recall.

With --scale, it times `procwatch vendors duplicates` (a separate process; wall seconds and
peak RSS from GNU time) on databases of generated vendors and their aliases
(benchmarks/generate.py), and with --baseline the all-pairs comparison the command made
before blocking (rapidfuzz's process.cdist over every pair of name keys), and writes the
figures to the report's scale table.
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from procwatch.matching import (  # noqa: E402
    DEFAULT_MIN_SCORE,
    VendorNames,
    candidate_pairs,
    name_score,
)
from procwatch.resolve import key_matches, name_key  # noqa: E402

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
SCALE_BEGIN = "<!-- scale: written by benchmarks/matching.py --scale -->"
SCALE_END = "<!-- end of scale -->"
# The all-pairs comparison `vendors duplicates` made before blocking, for --baseline.
ALL_PAIRS = """
import sys
from rapidfuzz import fuzz, process
from sqlalchemy import create_engine, text

engine = create_engine(sys.argv[1])
with engine.connect() as connection:
    keys = [k for (k,) in connection.execute(text("SELECT name_key FROM vendors"))]
    keys += [k for (k,) in connection.execute(text("SELECT alias_key FROM vendor_aliases"))]
found = 0
for start in range(0, len(keys), 2000):
    scores = process.cdist(
        keys[start : start + 2000], keys, scorer=fuzz.token_sort_ratio, score_cutoff=85,
        workers=-1,
    )
    found += int((scores > 0).sum())
# Pairs of two different names: not a name with itself, and each pair once.
print((found - len(keys)) // 2)
"""


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


def blocking_recall(pairs: list[Pair], generated: int = 0) -> tuple[int, int]:
    """Return how many of the pairs the scoring lists the blocking index proposes, of all.

    With `generated`, the labelled names sit among that many generated vendors (with their
    aliases), whose words make the index's blocks larger.
    """
    from benchmarks.generate import aliases_of, vendor_name

    names = sorted({name for pair in pairs for name in (pair.first, pair.second)})
    number = {name: index for index, name in enumerate(names)}
    vendors = {index: VendorNames((name,)) for name, index in number.items()}
    for n in range(generated):
        name = vendor_name(n)
        vendors[len(names) + n] = VendorNames((name, *aliases_of(n, name)))
    proposed = candidate_pairs(vendors)
    listed = [
        pair
        for pair in pairs
        if pair.first != pair.second and name_score(pair.first, pair.second) >= DEFAULT_MIN_SCORE
    ]
    found = sum(
        tuple(sorted((number[pair.first], number[pair.second]))) in proposed for pair in listed
    )
    return found, len(listed)


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


def write_report(report: Path, figures: str, begin: str = BEGIN, end: str = END) -> None:
    """Put `figures` between the report's markers, keeping the prose around them."""
    text = report.read_text(encoding="utf-8") if report.exists() else f"{begin}\n{end}\n"
    if begin not in text:
        text += f"\n{begin}\n{end}\n"
    head, _, rest = text.partition(begin)
    _, _, tail = rest.partition(end)
    report.write_text(f"{head}{begin}\n{figures}\n{end}{tail}", encoding="utf-8")


def scale(vendor_counts: list[int], baseline_counts: list[int], repeat: int = 3) -> str:
    """Time `vendors duplicates` on generated vendors; return the figures as a table.

    Every database is built first; then the runs of all sizes are interleaved `repeat`
    times, so that load from other work on the machine falls on each size alike, and each
    size's median time and largest peak are reported.
    """
    import statistics

    from benchmarks.generate import Sizes
    from benchmarks.run import PROCWATCH, build, run

    counts = sorted(set(vendor_counts) | set(baseline_counts))
    lines = [
        f"| vendors | names (with aliases) | command | seconds (median of {repeat}) | peak MB"
        " | pairs listed |",
        "|--:|--:|---|--:|--:|--:|",
    ]
    with tempfile.TemporaryDirectory(prefix="matching-") as folder:
        urls, names, commands = {}, {}, []
        for count in counts:
            workdir = Path(folder) / str(count)
            workdir.mkdir()
            path = workdir / "vendors.db"
            urls[count] = f"sqlite:///{path}"
            print(f"generating {count:,} vendors", file=sys.stderr)
            sizes = Sizes(contracts=0, vendors=count, buyers=120, measures=0)
            build(workdir, urls[count], sizes, 2024)
            names[count] = _count_names(urls[count])
            if count in vendor_counts:
                commands.append(
                    (
                        count,
                        "`procwatch vendors duplicates` (blocking)",
                        [PROCWATCH, "--db", str(path), "vendors", "duplicates", "--format", "csv"],
                    )
                )
            if count in baseline_counts:
                commands.append(
                    (
                        count,
                        "all pairs (process.cdist, before blocking)",
                        [sys.executable, "-c", ALL_PAIRS, urls[count]],
                    )
                )
        runs: dict[int, list[Any]] = {number: [] for number in range(len(commands))}
        for round_ in range(repeat):
            for number, (count, label, command) in enumerate(commands):
                print(f"run {round_ + 1}/{repeat}: {count:,} {label}", file=sys.stderr)
                runs[number].append(run(command))
        for number, (count, label, _) in enumerate(commands):
            done = runs[number]
            seconds = statistics.median(r.seconds for r in done)
            peak = max(r.peak_mb for r in done)
            if label.startswith("all pairs"):
                listed = f"{int(done[0].stdout):,} pairs of names"
            else:
                listed = f"{done[0].stdout.count(chr(10)) - 1:,}"
            lines.append(
                f"| {count:,} | {names[count]:,} | {label} | {seconds:.1f} | {peak:.0f}"
                f" | {listed} |"
            )
    return "\n".join(lines)


def _count_names(url: str) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as connection:
        total = connection.execute(
            text("SELECT (SELECT count(*) FROM vendors) + (SELECT count(*) FROM vendor_aliases)")
        ).scalar_one()
    engine.dispose()
    return int(total)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("--scale", nargs="+", type=int, default=[], metavar="VENDORS")
    parser.add_argument("--baseline", nargs="+", type=int, default=[], metavar="VENDORS")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each size (median)")
    args = parser.parse_args(argv)
    if args.scale or args.baseline:
        figures = scale(args.scale, args.baseline, args.repeat)
        largest = max([*args.scale, *args.baseline])
        found, listed = blocking_recall(read_pairs(args.folder), largest)
        figures += (
            f"\n\nWith the labelled names among {largest:,} generated vendors, the index"
            f" proposes {found} of the {listed} labelled pairs the scoring lists."
        )
        print(figures)
        write_report(REPORT, figures, SCALE_BEGIN, SCALE_END)
        return
    pairs = read_pairs(args.folder)
    found, listed = blocking_recall(pairs)
    figures = table(measure(pairs)) + (
        f"\n\nBlocking: the index proposes {found} of the {listed} labelled pairs the"
        " duplicates scoring lists (all schemas), so scoring only its candidates loses"
        f" {listed - found} of them."
    )
    print(figures)
    write_report(REPORT, figures)


if __name__ == "__main__":
    main(sys.argv[1:])
