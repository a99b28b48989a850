"""`procwatch flags` writes as it reads: the streamed files are the ones json and csv write."""

import json
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from procwatch.cli.render import plain
from procwatch.queries.coverage import coverage
from procwatch.screening.flags import find_flags
from procwatch.screening.origin import report_origin
from tests.conftest import Procwatch

pytestmark = pytest.mark.usefixtures("fixed_clock")


@pytest.mark.parametrize(
    ("args", "count"),
    [([], 7), (["-n", "1"], 1), (["-n", "0"], 7), (["--flag", "PW-SIGNED-WHILE-INVESTIGATED"], 0)],
)
def test_streamed_json_is_json_dump(procwatch: Procwatch, args: list[str], count: int) -> None:
    result = procwatch("flags", "-f", "json", *args)
    assert result.exit_code == 0, result.output
    engine = create_engine(procwatch.url)
    with engine.connect() as connection:
        code = args[1] if args[:1] == ["--flag"] else None
        flags = find_flags(connection, code=code)
        origin = report_origin(connection, None)
        covered = coverage(connection)
    engine.dispose()
    if args[:1] == ["-n"] and args[1] != "0":
        flags = flags[: int(args[1])]
    expected = {
        "origin": plain(origin),
        "coverage": plain(covered),
        "flags": [plain(flag) for flag in flags],
    }
    assert result.stdout == json.dumps(expected, indent=2, ensure_ascii=False) + "\n"
    assert len(json.loads(result.stdout)["flags"]) == count


def test_json_lines_have_a_flag_each(procwatch: Procwatch) -> None:
    result = procwatch("flags", "-f", "nl", "--country", "Georgia")
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(line["code"], line["certainty"]) for line in lines] == [
        ("PW-NONCOMPETITIVE", "yes"),
        ("PW-REPEAT-NONCOMPETITIVE", "yes"),
        ("PW-PRICE-FINDING", "yes"),
        ("PW-NONCOMPETITIVE", "yes"),
        ("PW-REPEAT-NONCOMPETITIVE", "yes"),
        ("PW-SIGNED-WHILE-BANNED", "possibly"),
    ]
    assert lines[2]["sources"][0]["source"] == "nuctech-raids-georgia"
    definitions = procwatch("flags", "--list", "-f", "nl").stdout.splitlines()
    assert json.loads(definitions[3])["code"] == "PW-SIGNED-WHILE-BANNED"


def test_a_bad_filter_leaves_the_output_file_alone(procwatch: Procwatch, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    output = folder / "flags.csv"
    output.write_text("before\n")
    result = procwatch("flags", "--vendor", "Nobody", "-f", "csv", "-o", str(output))
    assert (result.exit_code, result.stderr) == (3, "Error: no vendor named 'Nobody'\n")
    assert output.read_text() == "before\n"
    assert [p.name for p in folder.iterdir()] == ["flags.csv"]


def test_a_cut_table_counts_every_flag_by_kind(procwatch: Procwatch) -> None:
    result = procwatch("flags", "-n", "3")
    assert result.exit_code == 0, result.output
    assert "Showing 3 of 7 rows" in result.stdout
    assert (
        "All 7 flags by kind: Non-competitive procedure: 2 yes; Repeated non-competitive "
        "awards: 2 yes; Documented overpayment: 1 yes; Signed while banned or restricted: "
        "1 yes, 1 possibly." in " ".join(result.stdout.split())
    )
    # A table showing every row needs no count.
    assert "by kind" not in procwatch("flags").stdout
