import csv
import io

import pytest

from procwatch.screening.flags import FLAGS
from tests.conftest import Procwatch
from tests.golden import assert_golden

# Golden reports say when they were made: the fixed clock keeps them the same each day.
pytestmark = pytest.mark.usefixtures("fixed_clock")


def test_flags_as_csv(procwatch: Procwatch) -> None:
    result = procwatch("flags", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["contract"], r["code"], r["certainty"]) for r in rows] == [
        ("ge-2012-xray-kazbegi-red-bridge", "PW-NONCOMPETITIVE", "yes"),
        ("ge-2012-xray-kazbegi-red-bridge", "PW-REPEAT-NONCOMPETITIVE", "yes"),
        ("ge-2012-xray-kazbegi-red-bridge", "PW-PRICE-FINDING", "yes"),
        ("ge-2018-2020-services-spare-parts", "PW-NONCOMPETITIVE", "yes"),
        ("ge-2018-2020-services-spare-parts", "PW-REPEAT-NONCOMPETITIVE", "yes"),
        ("ge-2018-2020-services-spare-parts", "PW-SIGNED-WHILE-BANNED", "possibly"),
        ("pl-2024-03-xray-rzeszow", "PW-SIGNED-WHILE-BANNED", "yes"),
    ]
    assert_golden("flags.csv", result.stdout, url=procwatch.url)


def test_flags_on_the_terminal(procwatch: Procwatch, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    result = procwatch("flags", "--vendor", "Nuctech")
    assert result.exit_code == 0, result.output
    # Codes are never cut, even in a narrow terminal.
    assert result.stdout.count("PW-SIGNED-WHILE-BANNED ") == 2
    assert_golden("flags-nuctech.txt", result.stdout, url=procwatch.url)


def test_limit_cuts_the_flags_table_and_csv(procwatch: Procwatch) -> None:
    table = procwatch("flags", "--limit", "2")
    assert table.exit_code == 0, table.output
    assert table.stdout.count("PW-") == 2
    assert "Showing 2 of 7 rows: --limit 0 shows them all" in table.stdout
    rows = list(csv.DictReader(io.StringIO(procwatch("flags", "-f", "csv", "-n", "1").stdout)))
    assert [(r["contract"], r["code"]) for r in rows] == [
        ("ge-2012-xray-kazbegi-red-bridge", "PW-NONCOMPETITIVE")
    ]


def test_filters(procwatch: Procwatch) -> None:
    result = procwatch(
        "flags", "--vendor", "Nuotech", "--country", "Poland", "--flag", "pw-signed-while-banned",
        "-f", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert '"contract": "pl-2024-03-xray-rzeszow"' in result.stdout
    assert result.stdout.count('"code"') == 1
    result = procwatch("flags", "--flag", "PW-SIGNED-WHILE-INVESTIGATED", "-f", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.count("\n") == 1  # the header only


def test_list_of_definitions(procwatch: Procwatch) -> None:
    result = procwatch("flags", "--list", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["code"] for r in rows] == [flag.code for flag in FLAGS]
    assert rows[3]["reference"] == "procwatch"
    assert_golden("flags-list.csv", result.stdout, url=procwatch.url)


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ["--flag", "PW-NOPE"],
            2,
            "Error: unknown flag 'PW-NOPE'; expected one of PW-NONCOMPETITIVE, "
            "PW-REPEAT-NONCOMPETITIVE, PW-PRICE-FINDING, PW-SIGNED-WHILE-BANNED, "
            "PW-SIGNED-WHILE-INVESTIGATED\n",
        ),
        (["--vendor", "Nobody"], 3, "Error: no vendor named 'Nobody'\n"),
        (["--country", "Narnia"], 3, "Error: unknown country 'Narnia'; did you mean 'Armenia'?\n"),
    ],
)
def test_bad_inputs(procwatch: Procwatch, args: list[str], code: int, message: str) -> None:
    result = procwatch("flags", *args)
    assert (result.exit_code, result.stderr) == (code, message)


def test_flags_json_carries_its_origin(procwatch: Procwatch) -> None:
    import json

    result = procwatch("flags", "-f", "json", "-n", "2")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["origin"]["as_of"] == "2025-06-01"
    assert data["origin"]["generated"] == "2025-06-01T12:00:00Z"
    assert [flag["code"] for flag in data["flags"]] == [
        "PW-NONCOMPETITIVE",
        "PW-REPEAT-NONCOMPETITIVE",
    ]
