import csv
from pathlib import Path
from types import ModuleType

import pytest

from tests.helpers import load_benchmark


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    return load_benchmark("screen")


@pytest.fixture(scope="module")
def generated(bench: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> object:
    return bench.generate(tmp_path_factory.mktemp("screen"), 300, 50)


def test_generated_database_and_counterparties(generated: object) -> None:
    # 300 vendors with seven aliases for every ten, one identifier in three, a measure in 25,
    # on top of the seeded vendors (Nuctech and others) that open_database loads.
    assert generated.vendors == 300  # type: ignore[attr-defined]
    assert generated.identifiers == 100  # type: ignore[attr-defined]
    assert generated.measures == 12  # type: ignore[attr-defined]
    assert generated.names > 300 + 210  # type: ignore[attr-defined]
    kinds = generated.kinds  # type: ignore[attr-defined]
    assert sum(kinds.values()) == 50
    assert set(kinds) == {"exact", "misspelt", "other form", "identifier", "unknown"}
    with generated.counterparties.open(encoding="utf-8", newline="") as handle:  # type: ignore[attr-defined]
        rows = list(csv.DictReader(handle))
    assert len(rows) == 50
    assert list(rows[0]) == ["name", "country", "identifiers", "date"]
    with_identifier = [row for row in rows if row["identifiers"]]
    assert len(with_identifier) == kinds["identifier"]
    assert all(row["identifiers"].startswith("XX-BENCH:R") for row in with_identifier)
    assert any(row["date"] for row in rows)


def test_counterparty_kinds_keep_their_vendor() -> None:
    from benchmarks.generate import counterparty_rows, vendor_identifier, vendor_name

    rows = list(counterparty_rows(30, 200, ["GE"] * 30, {"GE": "Georgia"}))
    names = {vendor_name(n) for n in range(30)}
    for kind, (name, country, identifiers, date) in rows:
        assert country in ("GE", "Georgia", "")
        assert date == "" or date[:2] == "20"
        if kind == "exact":
            assert name in names
        elif kind in ("misspelt", "other form"):
            assert name not in names
        elif kind == "identifier":
            number = int(identifiers.rsplit("R", 1)[1])
            assert vendor_identifier(number) == ("XX-BENCH", f"R{number:07d}")
    # The same seed gives the same rows.
    assert rows == list(counterparty_rows(30, 200, ["GE"] * 30, {"GE": "Georgia"}))


def test_all_pairs_baseline_counts(bench: ModuleType, generated: object) -> None:
    import json

    from benchmarks.run import run

    counts = json.loads(run(bench.all_pairs_command(generated)).stdout)
    assert counts["queries"] == 50
    assert counts["names"] == generated.names  # type: ignore[attr-defined]
    # Exact, misspelt and other-form names score 85 or more against their vendor at least.
    kinds = generated.kinds  # type: ignore[attr-defined]
    assert counts["matched"] >= kinds["exact"] > 0
    assert counts["pairs"] >= counts["matched"]


def test_screen_gives_a_row_per_counterparty(bench: ModuleType, generated: object) -> None:
    screened, baseline, counts = bench.measure(generated)
    rows = bench.screened_rows(generated.counterparties.with_name("screened.csv"))  # type: ignore[attr-defined]
    assert len(rows) >= 50
    assert {int(row["row"]) for row in rows} == set(range(2, 52))
    assert screened.found == f"{len(rows):,} rows"
    assert counts["pairs"] > 0
    assert baseline.found_rows == frozenset(counts["rows"])
    kinds = generated.kinds  # type: ignore[attr-defined]
    ours = bench._found_by_kind(generated, screened)
    theirs = bench._found_by_kind(generated, baseline)
    # Both find every exact name; only the screen finds a vendor by its identifier.
    assert ours["exact"] == theirs["exact"] == kinds["exact"]
    assert ours["identifier"] == kinds["identifier"] > 0
    assert theirs["identifier"] == 0
    figures = bench.table(generated, screened, baseline, 1)
    assert "| `procwatch screen FILE -f csv -o OUT` |" in figures
    assert f"| exact | {kinds['exact']} | {kinds['exact']} | {kinds['exact']} |" in figures


def test_table_of_figures(bench: ModuleType, generated: object) -> None:
    kinds = generated.kinds  # type: ignore[attr-defined]
    row_kinds = generated.row_kinds  # type: ignore[attr-defined]
    exact = frozenset(i for i, kind in enumerate(row_kinds) if kind == "exact")
    screened = bench.Timed(2.0, 300.0, "60 rows", exact | {row_kinds.index("identifier")})
    baseline = bench.Timed(8.0, 1200.0, "90 pairs >= 85", exact)
    figures = bench.table(generated, screened, baseline, 3)
    assert figures.startswith("300 vendors (")
    assert "| `procwatch screen FILE -f csv -o OUT` | 2.0 | 300 | 60 rows |" in figures
    assert "| **ratio (screen / all pairs)** | **0.25x** | 0.25x | target: faster, under" in figures
    assert "500 MB: met |" in figures
    assert f"| identifier | {kinds['identifier']} | 1 | 0 |" in figures
    assert bench.met(screened, bench.Timed(1.0, 100.0, "", frozenset())) is False


def test_report_keeps_its_prose_around_the_figures(bench: ModuleType, tmp_path: Path) -> None:
    report = tmp_path / "report.md"
    report.write_text(f"# Title\n\n{bench.BEGIN}\nold\n{bench.END}\n\nHistory.\n")
    bench.write_report(report, "| new |")
    assert report.read_text() == f"# Title\n\n{bench.BEGIN}\n| new |\n{bench.END}\n\nHistory.\n"
