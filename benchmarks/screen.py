"""Time `procwatch screen` on generated counterparties and vendors, next to rapidfuzz's cdist.

Usage: python benchmarks/screen.py [--vendors 100000] [--counterparties 10000] [--repeat 1]

Builds a database of generated vendors with aliases, registry identifiers and measures
(benchmarks/generate.py), and a CSV of counterparties to screen against it: exact vendor
names, names one letter off, names with another legal form, vendor identifiers under
another name, and names of no vendor, some with a date (generate.counterparty_rows). Then
times, each as its own process (wall seconds, peak RSS from GNU time):
  - `procwatch screen FILE --format csv --output OUT`, which looks candidates up by
    identifier, name key and the blocking keys of procwatch.matching;
  - the all-pairs baseline (issue 15): rapidfuzz's process.cdist of the counterparties'
    name keys against every vendor name and alias key, scorer token_sort_ratio,
    score_cutoff 85, workers -1, 1,000 queries at a time, as matching.py's ALL_PAIRS.
Prints the figures and writes them to docs/benchmarks-screen.md between its markers.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.generate import (  # noqa: E402
    COUNTERPARTY_HEADER,
    Reference,
    Sizes,
    counterparty_rows,
    load_identifiers,
)

if TYPE_CHECKING:
    from benchmarks.run import Result

REPORT = REPO / "docs" / "benchmarks-screen.md"
BEGIN = "<!-- figures: written by benchmarks/screen.py -->"
END = "<!-- end of figures -->"
# Issue 15: faster than the all-pairs comparison, in under 500 MB.
PEAK_MB = 500
# All pairs: every counterparty's name key against every vendor name and alias key.
ALL_PAIRS = """
import csv, json, sys
from rapidfuzz import fuzz, process
from sqlalchemy import create_engine, text
from procwatch.resolve import name_key

url, counterparties = sys.argv[1:]
engine = create_engine(url)
with engine.connect() as connection:
    keys = [k for (k,) in connection.execute(text("SELECT name_key FROM vendors"))]
    keys += [k for (k,) in connection.execute(text("SELECT alias_key FROM vendor_aliases"))]
with open(counterparties, encoding="utf-8", newline="") as handle:
    queries = [name_key(row["name"]) for row in csv.DictReader(handle)]
pairs, matched = 0, []
for start in range(0, len(queries), 1000):
    scores = process.cdist(
        queries[start : start + 1000], keys, scorer=fuzz.token_sort_ratio, score_cutoff=85,
        workers=-1,
    )
    found = scores > 0
    pairs += int(found.sum())
    matched += [start + int(i) for i in found.any(axis=1).nonzero()[0]]
print(json.dumps({"queries": len(queries), "names": len(keys), "pairs": pairs,
                  "matched": len(matched), "rows": matched}))
"""


@dataclass(frozen=True)
class Generated:
    """A generated database and counterparty file, and what they hold."""

    database: Path
    counterparties: Path
    vendors: int
    names: int
    identifiers: int
    measures: int
    # The kind of each counterparty, in file order (generate.COUNTERPARTY_KINDS).
    row_kinds: tuple[str, ...]

    @property
    def kinds(self) -> Counter[str]:
        """Return how many counterparties of each kind the file holds."""
        return Counter(self.row_kinds)


@dataclass(frozen=True)
class Timed:
    """One side's figures: median wall seconds, largest peak MB and what it found."""

    seconds: float
    peak_mb: float
    found: str
    # The counterparties (0 for the file's first row) it gave a candidate vendor.
    found_rows: frozenset[int]


def generate(folder: Path, vendors: int, counterparties: int, seed: int = 2024) -> Generated:
    """Build the database of `vendors` and write `counterparties` rows to screen against it."""
    import pickle

    from benchmarks.run import build
    from sqlalchemy import text

    from procwatch.migrate import open_database
    from procwatch.store import store_scope

    database = folder / "vendors.db"
    for stale in folder.glob("vendors.db*"):  # a --workdir kept from an earlier run
        stale.unlink()
    url = f"sqlite:///{database}"
    # A measure for one vendor in 25: the screen's levels read them.
    sizes = Sizes(contracts=0, vendors=vendors, buyers=120, measures=max(10, vendors // 25))
    reference: Reference = pickle.loads(build(folder, url, sizes, seed).read_bytes())
    engine = open_database(url, write=True)
    with store_scope(engine) as store:
        identifiers = load_identifiers(store, reference)
        jurisdictions = {
            id_: (code, name)
            for id_, code, name in store.execute(text("SELECT id, code, name FROM jurisdictions"))
        }
        names = int(
            store.execute(
                text(
                    "SELECT (SELECT count(*) FROM vendors) + (SELECT count(*) FROM vendor_aliases)"
                )
            ).scalar_one()
        )
    engine.dispose()
    codes = [jurisdictions[vendor.home][0] for vendor in reference.vendors]
    country_names = dict(jurisdictions.values())
    path = folder / "counterparties.csv"
    kinds: list[str] = []
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COUNTERPARTY_HEADER)
        for kind, row in counterparty_rows(
            vendors, counterparties, codes, country_names, seed=seed
        ):
            kinds.append(kind)
            writer.writerow(row)
    return Generated(database, path, vendors, names, identifiers, sizes.measures, tuple(kinds))


def screen_command(generated: Generated, output: Path) -> list[str]:
    """Return the `procwatch screen` command line that writes CSV to `output`."""
    from benchmarks.run import PROCWATCH

    return [
        PROCWATCH,
        "--db",
        str(generated.database),
        "screen",
        str(generated.counterparties),
        "--format",
        "csv",
        "--output",
        str(output),
    ]


def all_pairs_command(generated: Generated) -> list[str]:
    """Return the command line of the all-pairs baseline, which prints its counts as JSON."""
    return [
        sys.executable,
        "-c",
        ALL_PAIRS,
        f"sqlite:///{generated.database}",
        str(generated.counterparties),
    ]


def screened_rows(output: Path) -> list[dict[str, str]]:
    """Return the rows of a `procwatch screen` CSV."""
    with output.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def with_candidate(rows: list[dict[str, str]]) -> frozenset[int]:
    """Return the counterparties a screen gave a candidate, counting the file's first row 0."""
    # `row` is the line of the counterparty in its file, the header being line 1.
    return frozenset(int(row["row"]) - 2 for row in rows if row["candidate"])


def measure(generated: Generated, repeat: int = 1) -> tuple[Timed, Timed, dict[str, int]]:
    """Run the screen and the all-pairs baseline `repeat` times, interleaved.

    Return the screen's figures, the baseline's, and the baseline's counts (queries, names,
    pairs scoring 85 or more, queries with one such pair at least).
    """
    import json

    from benchmarks.run import run

    output = generated.counterparties.with_name("screened.csv")
    ours, theirs = [], []
    for round_ in range(repeat):
        print(f"run {round_ + 1}/{repeat}: procwatch screen", file=sys.stderr)
        ours.append(run(screen_command(generated, output)))
        print(f"run {round_ + 1}/{repeat}: all pairs (process.cdist)", file=sys.stderr)
        theirs.append(run(all_pairs_command(generated)))
    counts = json.loads(theirs[0].stdout)
    rows = screened_rows(output)
    screened = Timed(
        statistics.median(r.seconds for r in ours),
        max(r.peak_mb for r in ours),
        f"{len(rows):,} rows",
        with_candidate(rows),
    )
    baseline = Timed(
        statistics.median(r.seconds for r in theirs),
        max(r.peak_mb for r in theirs),
        f"{counts['pairs']:,} pairs >= 85",
        frozenset(counts["rows"]),
    )
    return screened, baseline, counts


def table(generated: Generated, screened: Timed, baseline: Timed, repeat: int) -> str:
    """Return the figures as Markdown: what was generated, then each side and their ratio."""
    kinds = ", ".join(f"{count:,} {kind}" for kind, count in sorted(generated.kinds.items()))
    ratio = screened.seconds / baseline.seconds
    ours, theirs = (_found_by_kind(generated, timed) for timed in (screened, baseline))
    return "\n".join(
        [
            f"{generated.vendors:,} vendors ({generated.names:,} names with aliases,"
            f" {generated.identifiers:,} identifiers, {generated.measures:,} measures);"
            f" {sum(generated.kinds.values()):,} counterparties: {kinds}.",
            "",
            f"| command | seconds (median of {repeat}) | peak MB | found |",
            "|---|--:|--:|---|",
            f"| `procwatch screen FILE -f csv -o OUT` | {screened.seconds:.1f}"
            f" | {screened.peak_mb:.0f} | {screened.found} |",
            f"| all pairs (`process.cdist`, token_sort_ratio >= 85) | {baseline.seconds:.1f}"
            f" | {baseline.peak_mb:.0f} | {baseline.found} |",
            f"| **ratio (screen / all pairs)** | **{ratio:.2f}x** |"
            f" {screened.peak_mb / baseline.peak_mb:.2f}x | target: faster, under"
            f" {PEAK_MB} MB: {'met' if met(screened, baseline) else '**not met**'} |",
            "",
            "Counterparties given a candidate vendor (the screen: any candidate; all pairs:"
            " a vendor name or alias scoring 85 or more), by kind:",
            "",
            "| kind | counterparties | screen | all pairs |",
            "|---|--:|--:|--:|",
            *(
                f"| {kind} | {total:,} | {ours[kind]:,} | {theirs[kind]:,} |"
                for kind, total in sorted(generated.kinds.items())
            ),
        ]
    )


def _found_by_kind(generated: Generated, timed: Timed) -> Counter[str]:
    return Counter(generated.row_kinds[row] for row in timed.found_rows)


def result(folder: Path, vendors: int, counterparties: int, seed: int = 2024) -> Result:
    """Generate, measure once each way, and return the figures as a row of benchmarks/run.py."""
    from benchmarks.run import Result

    generated = generate(folder, vendors, counterparties, seed)
    screened, baseline, _ = measure(generated)
    return Result(
        name=f"screen {counterparties:,} counterparties against {vendors:,} vendors",
        candidate="procwatch screen FILE -f csv",
        baseline="all pairs, process.cdist",
        seconds=screened.seconds,
        baseline_seconds=baseline.seconds,
        peak_mb=screened.peak_mb,
        baseline_peak_mb=baseline.peak_mb,
        target=f"< 1x, < {PEAK_MB} MB",
        met=met(screened, baseline),
        ratio_text=f"{screened.seconds / baseline.seconds:.2f}x",
    )


def met(screened: Timed, baseline: Timed) -> bool:
    """Return whether the screen met issue 15's target: faster than all pairs, under 500 MB."""
    return screened.seconds < baseline.seconds and screened.peak_mb < PEAK_MB


def write_report(report: Path, figures: str) -> None:
    """Put `figures` between the report's markers, keeping the prose around them."""
    text = report.read_text(encoding="utf-8") if report.exists() else f"{BEGIN}\n{END}\n"
    if BEGIN not in text:
        text += f"\n{BEGIN}\n{END}\n"
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    report.write_text(f"{head}{BEGIN}\n{figures}\n{END}{tail}", encoding="utf-8")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vendors", type=int, default=100_000, help="vendors to generate")
    parser.add_argument(
        "--counterparties", type=int, default=10_000, help="counterparties to screen"
    )
    parser.add_argument("--repeat", type=int, default=1, help="runs of each side (median)")
    parser.add_argument("--seed", type=int, default=2024, help="generator seed")
    parser.add_argument("--workdir", type=Path, help="keep the files here (default: temp)")
    parser.add_argument("--no-report", action="store_true", help="print only, leave docs/")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="screen-") as temporary:
        folder = args.workdir or Path(temporary)
        folder.mkdir(parents=True, exist_ok=True)
        print(
            f"generating {args.vendors:,} vendors and {args.counterparties:,} counterparties",
            file=sys.stderr,
        )
        generated = generate(folder, args.vendors, args.counterparties, args.seed)
        screened, baseline, _ = measure(generated, args.repeat)
    figures = table(generated, screened, baseline, args.repeat)
    print(figures)
    if not args.no_report:
        write_report(REPORT, figures)


if __name__ == "__main__":
    main(sys.argv[1:])
