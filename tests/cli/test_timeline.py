import json
from pathlib import Path

import pytest

from tests.conftest import Procwatch
from tests.golden import assert_golden
from tests.screening.test_chart import png_size

# Golden reports say when they were made: the fixed clock keeps them the same each day.
pytestmark = pytest.mark.usefixtures("fixed_clock")


def test_timeline_table(procwatch: Procwatch, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "120")
    result = procwatch("timeline", "Nuotech")
    assert result.exit_code == 0, result.output
    assert_golden("timeline-nuctech.txt", result.stdout, url=procwatch.url)


def test_timeline_json(procwatch: Procwatch) -> None:
    result = procwatch("timeline", "Nuctech", "-f", "json")
    assert result.exit_code == 0, result.output
    timeline = json.loads(result.stdout)
    assert timeline["origin"]["generated"] == "2025-06-01T12:00:00Z"
    events = timeline["events"]
    assert [(e["date"], e["country"], e["kind"]) for e in events][-3:] == [
        ("2023", "BE", "ban"),
        ("2024-03", "PL", "contract"),
        ("2024-04-23", "EU", "investigation"),
    ]
    assert events[-2]["amount"] == "3500000.00"


def test_png(procwatch: Procwatch, tmp_path: Path) -> None:
    target = tmp_path / "nuctech.png"
    result = procwatch("timeline", "Nuctech", "--png", str(target))
    assert result.exit_code == 0, result.output
    assert png_size(target.read_bytes()) == (1200, 675)
    assert not list(tmp_path.glob(".nuctech.png.*"))


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["Nobody"], 3, "Error: no vendor named 'Nobody'\n"),
        (
            ["Nuctech", "--png", "/nonexistent/dir/chart.png"],
            6,
            "Error: cannot write /nonexistent/dir/chart.png: No such file or directory\n",
        ),
    ],
)
def test_bad_inputs(procwatch: Procwatch, args: list[str], code: int, message: str) -> None:
    result = procwatch("timeline", *args)
    assert (result.exit_code, result.stderr) == (code, message)


def test_timeline_as_of_a_date_shows_what_had_begun(procwatch: Procwatch) -> None:
    result = procwatch("timeline", "Nuctech", "--as-of", "2021", "-f", "json")
    assert result.exit_code == 0, result.output
    timeline = json.loads(result.stdout)
    assert timeline["origin"]["as_of"] == "2021"
    assert [e["key"] for e in timeline["events"]][-1] == "lt-2021-equipment-ban"
    table = procwatch("timeline", "Nuctech", "--as-of", "2021")
    assert "As of 2021. Generated 2025-06-01 12:00:00 UTC by procwatch " in table.stdout
