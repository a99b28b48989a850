from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import SHARED_DATA
from tests.helpers import load_benchmark

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "matching"


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    return load_benchmark("matching")


def counts(counts: object) -> tuple[int, int, int, int]:
    return (counts.pairs, counts.tp, counts.fp, counts.fn)  # type: ignore[attr-defined]


def test_fixture_pairs_are_counted_per_matcher(bench: ModuleType) -> None:
    pairs = bench.read_pairs(FIXTURES)
    assert len(pairs) == 7
    # The pair logic-v2 did not score has no prediction, and keeps its group.
    assert [(p.group, p.logic_v2) for p in pairs if p.first == "Acme Ltd"] == [("cust_cases", None)]
    rows = {row.label: row for row in bench.measure(pairs)}
    # Siemens (same key), Hikvision (misspelt: only the score finds it), Rosneft ~ Gazprom
    # (neither), Apple Trees ~ Apple Tree (a different firm the score takes for the same).
    headline = rows["**organisations outside synth_companies, pairs logic-v2 scored**"]
    assert counts(headline.name_key) == (4, 1, 0, 1)
    assert counts(headline.duplicates) == (4, 2, 1, 0)
    assert counts(headline.logic_v2) == (4, 1, 1, 1)
    assert (headline.duplicates.precision, headline.duplicates.recall) == (2 / 3, 1.0)
    assert headline.duplicates.f1 == pytest.approx(0.8)
    outside = rows["organisations outside synth_companies, all pairs"]
    assert counts(outside.name_key) == (5, 2, 0, 1)
    assert counts(outside.logic_v2) == (4, 1, 1, 1)
    assert counts(rows["Person / nk_checks"].duplicates) == (1, 0, 0, 1)
    # Alpha Fund I ~ Alpha Fund II, labelled a match, are sibling funds: the score keeps
    # them apart.
    assert counts(rows["all pairs"].duplicates) == (7, 3, 1, 2)
    # No pair predicted: precision is undefined, shown as "-".
    assert rows["Person / nk_checks"].name_key.precision is None
    assert "| Person / nk_checks | 1 | - | 0.000 | 0.000 |" in bench.table(list(rows.values()))


def test_report_keeps_its_prose_around_the_figures(bench: ModuleType, tmp_path: Path) -> None:
    report = tmp_path / "report.md"
    report.write_text(f"# Title\n\n{bench.BEGIN}\nold\n{bench.END}\n\nHistory.\n")
    bench.write_report(report, "| new |")
    assert report.read_text() == f"# Title\n\n{bench.BEGIN}\n| new |\n{bench.END}\n\nHistory.\n"


def test_shared_pairs_give_a_row_per_schema_and_group(bench: ModuleType) -> None:
    folder = SHARED_DATA / "matching"
    if not (folder / "name-pairs.csv").exists():
        pytest.skip(f"no labelled pairs at {folder}")
    pairs = bench.read_pairs(folder)
    rows = bench.measure(pairs)
    assert len(pairs) > 800
    assert {"Company / nk_checks", "Person / synth_people"} <= {row.label for row in rows}
    headline = rows[-5]
    assert headline.label.startswith("**organisations outside")
    assert headline.logic_v2.pairs == headline.name_key.pairs > 0


def test_issue_14_targets_on_the_labelled_pairs(bench: ModuleType) -> None:
    folder = SHARED_DATA / "matching"
    if not (folder / "name-pairs.csv").exists():
        pytest.skip(f"no labelled pairs at {folder}")
    pairs = bench.read_pairs(folder)
    headline = bench.measure(pairs)[-5]
    assert headline.duplicates.pairs == 159
    assert headline.duplicates.f1 >= 0.95
    assert headline.duplicates.precision >= 0.95
    assert headline.name_key.precision >= 0.98
    # The blocking index of `vendors duplicates` proposes every pair the scoring lists.
    found, listed = bench.blocking_recall(pairs)
    assert found == listed > 250
