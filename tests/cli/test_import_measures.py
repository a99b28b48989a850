from pathlib import Path

import pytest

from tests.conftest import Procwatch

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "measures"
CSL = "sanctions/us-consolidated-screening-list-sample.csv"


def table_lines(output: str) -> list[str]:
    return [" ".join(line.strip("│┃ ").split()) for line in output.splitlines()]


def test_import_prints_a_summary_and_warnings(procwatch: Procwatch) -> None:
    result = procwatch("import", "measures", str(FIXTURES / "procwatch-layout.csv"))
    assert result.exit_code == 0, result.output
    lines = [" ".join(line.strip("│┃ ").split()) for line in result.stdout.splitlines()]
    assert "vendors │ 5 │ 0 │ 0" in lines
    assert "measures │ 5 │ 0 │ 0" in lines
    assert "1 │ end date '9999-12-31' read as no end" in lines


def test_mapped_import_with_options(procwatch: Procwatch) -> None:
    result = procwatch(
        "import",
        "measures",
        str(FIXTURES / "debarred-firms.csv"),
        "--skip-rows",
        "2",
        "--map",
        "name=Firm Name",
        "--map",
        "start=Ineligible From",
        "--map",
        "end=Ineligible To",
        "--kind",
        "ban",
        "--country",
        "United States",
        "--authority",
        "World Bank Group",
        "--date-order",
        "mdy",
    )
    assert result.exit_code == 0, result.output
    bans = procwatch("bans", "--vendor", "Hikvison Digital Technology", "--format", "csv")
    assert bans.stdout.splitlines()[1].split(",")[2:11] == [
        "Hikvison Digital Technology",
        "US",
        "United States",
        "World Bank Group",
        "ban",
        "",
        "",
        "",
        "2020-06-01",
    ]


def test_us_csl_preset(procwatch: Procwatch, shared_data: Path) -> None:
    result = procwatch("import", "measures", str(shared_data / CSL), "--preset", "us-csl")
    assert result.exit_code == 0, result.output
    assert "measures │ 116 │ 0 │ 0" in table_lines(result.stdout)
    again = procwatch("import", "measures", str(shared_data / CSL), "--preset", "us-csl")
    assert "measures │ 0 │ 0 │ 116" in table_lines(again.stdout)


def test_bad_file_is_one_error_line_and_changes_nothing(procwatch: Procwatch) -> None:
    result = procwatch("import", "measures", str(FIXTURES / "broken.ftm.json"))
    assert result.exit_code == 5
    assert result.stderr == (
        "Error: broken.ftm.json line 3: not JSON (Expecting ',' delimiter at column 1)\n"
    )
    assert "measures │ 0" not in result.stdout
    bans = procwatch("bans", "--format", "csv")
    assert len(bans.stdout.splitlines()) == 6


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "un-sc-consolidated.xml is XML, not CSV; for the UN list use --preset un-sc"),
        (
            ["--no-header", "--map", "name=1", "--country", "US", "--kind", "ban"],
            "un-sc-consolidated.xml is XML, not CSV; for the UN list use --preset un-sc",
        ),
        (
            ["--preset", "ofac-sdn"],
            "un-sc-consolidated.xml is XML, not CSV; for the UN list use --preset un-sc",
        ),
    ],
)
def test_xml_given_as_csv_is_one_error_line_and_imports_nothing(
    procwatch: Procwatch, args: list[str], message: str
) -> None:
    result = procwatch("import", "measures", str(FIXTURES / "un-sc-consolidated.xml"), *args)
    assert (result.exit_code, result.stderr) == (5, f"Error: {message}\n")
    assert len(procwatch("bans", "--format", "csv").stdout.splitlines()) == 6


def test_a_file_that_does_not_fit_its_preset_is_one_error_line(procwatch: Procwatch) -> None:
    result = procwatch(
        "import", "measures", str(FIXTURES / "ofac" / "sdn.csv"), "--preset", "un-sc"
    )
    assert (result.exit_code, result.stderr) == (
        5,
        "Error: sdn.csv: expected the UN Security Council consolidated list (XML whose root "
        "is CONSOLIDATED_LIST); found text that is not XML (syntax error, line 1)\n",
    )
    result = procwatch(
        "import", "measures", str(FIXTURES / "un-sc-consolidated.xml"), "--preset", "un-sc"
    )
    assert result.exit_code == 0, result.output
    assert "measures  │     4 │" in result.stdout


def test_bad_options_are_one_error_line(procwatch: Procwatch) -> None:
    path = str(FIXTURES / "procwatch-layout.csv")
    for args, message in [
        (["--map", "firm"], "Error: --map 'firm': expected FIELD=COLUMN\n"),
        (
            ["--preset", "nope"],
            "Error: unknown preset 'nope'; presets: ebrd, idb, ofac-sdn, un-sc, us-csl, "
            "worldbank\n",
        ),
        (["--country", "Atlantis"], "Error: unknown country 'Atlantis'\n"),
        (["--no-header"], "Error: a file without a header needs --map FIELD=NUMBER\n"),
    ]:
        result = procwatch("import", "measures", path, *args)
        assert (result.exit_code, result.stderr) != (0, ""), args
        assert result.stderr == message


def test_help_names_every_option(procwatch: Procwatch) -> None:
    result = procwatch("import", "measures", "--help")
    for option in ("--preset", "--map", "--kind", "--authority", "--country", "--skip-rows"):
        assert option in result.stdout


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "worldbank.csv",
            "worldbank.csv looks like the World Bank Group, Debarred Firms and Individuals "
            "(XLSX or CSV): give --preset worldbank",
        ),
        (
            "ebrd-ineligible.csv",
            "ebrd-ineligible.csv looks like the EBRD ineligible entities, CSV export: give "
            "--preset ebrd",
        ),
    ],
)
def test_a_known_list_without_its_preset_is_told_which(
    procwatch: Procwatch, name: str, message: str
) -> None:
    result = procwatch("import", "measures", str(FIXTURES / name))
    assert (result.exit_code, result.stderr) == (5, f"Error: {message}\n")


def test_the_vendor_profile_shows_a_listed_kind(procwatch: Procwatch) -> None:
    imported = procwatch(
        "import", "measures", str(FIXTURES / "worldbank.csv"), "--preset", "worldbank"
    )
    assert imported.exit_code == 0, imported.output
    profile = procwatch("vendor", "Rufat Majidov")
    assert profile.stdout.splitlines()[:3] == [
        "MR. RUFAT MAJIDOV",
        "Home country: Azerbaijan (AZ)",
        "Kind: person",
    ]
    listed = procwatch("vendors", "majidov", "--format", "csv")
    assert ",MR. RUFAT MAJIDOV,person,AZ," in listed.stdout.splitlines()[1]
