from pathlib import Path

from tests.conftest import Procwatch

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
        "score,first_id,first,first_country,second_id,second,second_country,matched",
        "98.2,2,Hikvision Digital Technology Co. Ltd.,CN,3,Hikvison Digital Technology,CN,"
        "Hikvision Digital Technology Co. Ltd. ~ Hikvison Digital Technology",
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
