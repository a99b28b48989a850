import csv
import io
import json
from pathlib import Path

from procwatch.store import Store
from tests.cli.test_contracts import add_lots
from tests.conftest import Procwatch


def test_vendors_search_by_alias(procwatch: Procwatch) -> None:
    result = procwatch("vendors", "nuotech", "-f", "json")
    assert result.exit_code == 0, result.output
    (vendor,) = json.loads(result.stdout)
    assert vendor["name"] == "Nuctech Company Limited"
    assert vendor["aliases"] == ["Nuctech", "Nuotech", "Nuotech Company Limited"]
    assert (vendor["contracts"], vendor["measures"]) == (4, 5)


def test_vendors_without_search_lists_all(procwatch: Procwatch) -> None:
    result = procwatch("vendors", "--format", "csv")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[1].startswith("1,Nuctech Company Limited,CN,")


def test_vendors_search_without_match_is_empty(procwatch: Procwatch) -> None:
    result = procwatch("vendors", "acme", "--format", "json")
    assert (result.exit_code, json.loads(result.stdout)) == (0, [])


def test_vendor_profile_json(procwatch: Procwatch) -> None:
    result = procwatch("vendor", "Nuctech", "--format", "json")
    assert result.exit_code == 0, result.output
    profile = json.loads(result.stdout)
    assert profile["country"] == "CN"
    assert profile["totals"] == [
        {"currency": "EUR", "contracts": 1, "total": "3500000.00", "estimated": 1},
        {"currency": "USD", "contracts": 1, "total": "5870722.48", "estimated": 0},
        {"currency": None, "contracts": 2, "total": None, "estimated": 0},
    ]
    assert sorted(profile["measures_by_country"]) == ["BE", "CA", "EU", "LT", "US"]
    assert len(profile["contracts"]) == 4


def test_vendor_profile_table(procwatch: Procwatch) -> None:
    result = procwatch("vendor", "Nuotech Company Limited")
    assert result.exit_code == 0
    assert "Home country: China (CN)" in result.stdout
    assert "5,870,722.48" in result.stdout


def test_vendor_profile_table_stops_at_100_contracts(procwatch: Procwatch, store: Store) -> None:
    add_lots(store, 120)
    result = procwatch("vendor", "Nuctech")
    assert result.exit_code == 0, result.output
    # Oldest first: the seed's 2008, 2012 and 2018-2020 contracts, then Lot 000 to Lot 096.
    assert "Showing 100 of 124 rows" in result.stdout
    assert "Lot 096" in result.stdout
    assert "Lot 097" not in result.stdout
    assert "Showing" not in procwatch("vendor", "Nuctech", "--limit", "0").stdout


def test_vendor_profile_csv_lists_contracts_and_measures(procwatch: Procwatch) -> None:
    result = procwatch("vendor", "nuctech", "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [row["record"] for row in rows].count("contract") == 4
    assert [row["record"] for row in rows].count("measure") == 5


def test_unknown_vendor_profile(procwatch: Procwatch) -> None:
    result = procwatch("vendor", "Acme")
    assert result.exit_code == 3
    assert result.stderr == "Error: no vendor named 'Acme'\n"


FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "measures"


def import_debarred(procwatch: Procwatch) -> None:
    result = procwatch(
        "import",
        "measures",
        str(FIXTURES / "debarred-firms.csv"),
        "--skip-rows=2",
        "--map=name=Firm Name",
        "--map=vendor_country=Country",
        "--kind=ban",
        "--country=US",
    )
    assert result.exit_code == 0, result.output


def test_duplicates_merge_and_unmerge(procwatch: Procwatch) -> None:
    import_debarred(procwatch)
    pairs = procwatch("vendors", "duplicates", "--format", "csv")
    assert pairs.exit_code == 0, pairs.output
    assert pairs.stdout.splitlines() == [
        "score,first_id,first,first_country,second_id,second,second_country,matched,why",
        "96.2,2,Hikvision Digital Technology Co. Ltd.,CN,3,Hikvison Digital Technology,CN,"
        "Hikvision Digital Technology Co. Ltd. ~ Hikvison Digital Technology,"
        '"alike letter by letter, spaces aside 96.2"',
    ]
    merged = procwatch("vendors", "merge", "2", "Hikvison Digital Technology")
    assert merged.exit_code == 0, merged.output
    assert merged.stdout == (
        "Merged 'Hikvison Digital Technology' (id 3) into 'Hikvision Digital Technology Co. Ltd.'"
        " (id 2); moved 0 contracts, 1 measures, 0 identifiers, 1 citations, 1 aliases.\n"
        "Recorded as merge 1; undo with: procwatch vendors unmerge 1\n"
    )
    assert procwatch("vendors", "duplicates", "--format", "csv").stdout.count("\n") == 1
    listed = procwatch("vendors", "hikvi", "--format", "csv").stdout.splitlines()
    assert len(listed) == 2
    undone = procwatch("vendors", "unmerge", "1")
    assert undone.stdout == (
        "Undid merge 1: 'Hikvison Digital Technology' (id 3) is separate again from"
        " 'Hikvision Digital Technology Co. Ltd.' (id 2).\n"
    )
    assert len(procwatch("vendors", "hikvi", "--format", "csv").stdout.splitlines()) == 3
    merges = procwatch("vendors", "merges", "--format", "json")
    assert '"undone_at": null' not in merges.stdout


def test_merge_errors_are_one_line(procwatch: Procwatch) -> None:
    for args, code, message in [
        (["merge", "Nuctech", "Nuotech"], 5, "Error: 'Nuctech' and 'Nuotech' are the same vendor"),
        (["merge", "Nuctech", "Nuctek"], 3, "Error: no vendor named 'Nuctek'; did you mean"),
        (["unmerge", "7"], 3, "Error: no merge with id 7"),
    ]:
        result = procwatch("vendors", *args)
        assert result.exit_code == code
        assert result.stderr.startswith(message)
        assert result.stderr.count("\n") == 1


def test_vendors_still_defaults_to_list(procwatch: Procwatch) -> None:
    result = procwatch("vendors", "nuc", "--format", "csv")
    assert result.stdout.splitlines()[1].startswith("1,Nuctech Company Limited,CN")


def test_a_mistyped_subcommand_gets_a_suggestion_not_a_search(procwatch: Procwatch) -> None:
    result = procwatch("vendors", "lst")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1] == (
        "Error: No such command 'lst'. Did you mean 'list'? "
        "(To search for it: procwatch vendors list lst)"
    )
    # A search that is no command's near miss still searches, and says what it looked for.
    found = procwatch("vendors", "nuo")
    assert found.exit_code == 0, found.output
    assert found.stdout.lstrip().startswith("Vendors matching 'nuo'")


def test_duplicates_take_n_as_every_listing_does(procwatch: Procwatch) -> None:
    import_debarred(procwatch)
    every = procwatch("vendors", "duplicates", "-n", "0", "-f", "json")
    assert every.exit_code == 0, every.output
    assert len(json.loads(every.stdout)) == 1
    assert json.loads(procwatch("vendors", "duplicates", "-n", "1", "-f", "json").stdout) == (
        json.loads(every.stdout)
    )
    assert procwatch("vendors", "duplicates", "-n", "-1").exit_code == 2
